/** @module 360dialog as a key source: `GET /whatsapp_business_encryption` with the channel's D360-API-KEY, which selects the number. */
import type { Secret } from '../../secret'
import { classifyGraphAnswer } from '../graph-answer'
import { SOURCE_INFO, type KeySource } from '../source'

export interface D360Target {
  /** D360_API_URL, e.g. `https://waba-v2.360dialog.io`. */
  base: string
  apiKey: Secret
}

/**
 * No phone number id in the path: 360dialog's key selects the channel, and it warns that
 * adding one can cause errors. Its *Set* is a POST to the same path.
 */
export const d360Source: KeySource<D360Target> = {
  name: '360dialog',
  buildRequest: (target) =>
    Promise.resolve({
      url: `${target.base}/whatsapp_business_encryption`,
      method: 'GET',
      headers: new Headers({ 'D360-API-KEY': target.apiKey.reveal(), accept: 'application/json' }),
    }),
  classify: (raw, redact) => classifyGraphAnswer('d360', SOURCE_INFO['360dialog'].words, raw, redact),
}
