/** @module Meta Graph API failure codes, one row each (columns in failure-row.ts). */
import { rateAdvice, sourceTable, theirSide } from '../failure-row'

const SIDE = () => theirSide('Meta', 'metastatus.com')
const TOKEN = 'META_ACCESS_TOKEN (or META_ACCESS_TOKEN_<ACCOUNT>)'

export const META_FAILURES = sourceTable('meta', {
  auth_failed: {
    words: 'Meta refused the access token (invalid or expired, Graph code 190)',
    advice: () => `Make a new system-user token with whatsapp_business_messaging in Meta Business Settings and set ${TOKEN}`,
  },
  permission_denied: {
    words: 'the access token may not read this phone number (Graph code 200)',
    advice: () => `Give the system user of ${TOKEN} access to the WhatsApp account of this number (advanced access when acting for another business)`,
  },
  not_found: {
    words: 'Meta does not know this phone number id',
    advice: () => "Check the number's phone_number_id: Meta's numeric id from WhatsApp Manager (not the phone number, not the WABA id)",
  },
  bad_request: { words: 'Meta rejected the request', advice: () => "Check the number's phone_number_id and META_GRAPH_VERSION" },
  rate_limited: { words: 'Meta is rate-limiting the app', advice: () => rateAdvice('Meta') },
  server_error: { words: 'Meta answered with a server error', advice: SIDE },
  timeout: { words: 'Meta did not answer in time', advice: SIDE },
  unreachable: { words: "Meta's Graph API could not be reached", advice: SIDE },
  bad_response: { words: 'Meta sent an answer flowkey cannot read', advice: SIDE },
})
