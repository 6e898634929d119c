/** @module 360dialog failure codes, one row each (columns in failure-row.ts). */
import { rateAdvice, sourceTable, theirSide } from '../failure-row'

const SIDE = () => theirSide('360dialog', "360dialog's status page")
const KEY = 'D360_API_KEY_<ACCOUNT> (or D360_API_KEY)'

export const D360_FAILURES = sourceTable('d360', {
  auth_failed: { words: '360dialog refused the API key', advice: () => `Check ${KEY} against the channel's API key in the 360dialog Hub` },
  permission_denied: { words: "360dialog's API key may not read this number's key", advice: () => `Check that ${KEY} is the key of this number's channel` },
  not_found: { words: '360dialog does not know this channel', advice: () => `Check that ${KEY} belongs to this number's channel` },
  bad_request: { words: '360dialog rejected the request', advice: () => `Check the number's account and ${KEY}` },
  rate_limited: { words: '360dialog is rate-limiting the channel', advice: () => rateAdvice('360dialog') },
  server_error: { words: '360dialog answered with a server error', advice: SIDE },
  timeout: { words: '360dialog did not answer in time', advice: SIDE },
  unreachable: { words: '360dialog could not be reached', advice: SIDE },
  bad_response: { words: '360dialog sent an answer flowkey cannot read', advice: SIDE },
})
