/** @module Kaleyra pod emulator, protocol: the answer bodies the published document shows, its quirks kept. */

/** Upstream bodies, copied from the document; `data` and `error` change type between them, as documented. */
export const BODIES = {
  rbc001: { code: 'RBC001', message: 'Incorrect SID or API key.', data: [], error: { error: 'Incorrect SID or API key.' } },
  wa401: {
    code: 'WA-401',
    message: 'API is not available for given customer.Please contact support for more info',
    data: {},
    error: 'API is not available for given customer.Please contact support for more info',
  },
  wa400: { code: 'WA-400', message: 'Refer to correct payload format', data: {}, error: { payload: 'Incorrect payload format' } },
  // The document is silent on a number the account does not hold; a WA-400 naming the phone is our guess.
  wa400Phone: { code: 'WA-400', message: 'Refer to correct payload format', data: {}, error: { phone: 'Business number not found' } },
  wa500: { code: 'WA-500', message: 'Please try again later', data: {}, error: { error: 'Internal server error' } },
  // Undocumented: Kaleyra's rate-limit body is not published, so this only has to look plausible.
  wa429: { code: 'WA-429', message: 'Too many requests', data: {}, error: { error: 'Rate limit exceeded' } },
} as const
