/** @module AWS End User Messaging Social failure codes, one row each (columns in failure-row.ts). */
import { rateAdvice, sourceTable, theirSide } from '../failure-row'

const SIDE = () => theirSide('AWS', 'the AWS Health Dashboard')
const KEYS = 'AWS_ACCESS_KEY_ID_<ACCOUNT> and AWS_SECRET_ACCESS_KEY_<ACCOUNT> (or the unsuffixed names)'

export const AWS_FAILURES = sourceTable('aws', {
  auth_failed: { words: 'AWS refused the credentials or their signature', advice: () => `Check ${KEYS}, and AWS_SESSION_TOKEN when the keys are temporary` },
  permission_denied: {
    words: 'AWS denied social-messaging:GetWhatsAppBusinessPublicKey (or Meta denied AWS)',
    advice: () => 'Allow social-messaging:GetWhatsAppBusinessPublicKey on the phone number to the IAM identity of these keys (docs/connect.md)',
  },
  not_found: {
    words: 'AWS does not know this phone number id in the region',
    advice: () => "Check the number's phone_number_id (phone-number-id-…) and region",
  },
  bad_request: { words: 'AWS rejected the request', advice: () => "Check the number's phone_number_id and region" },
  rate_limited: { words: 'AWS is throttling the account', advice: () => rateAdvice('AWS') },
  server_error: { words: 'AWS answered with a server error', advice: SIDE },
  timeout: { words: 'AWS did not answer in time', advice: SIDE },
  unreachable: { words: 'AWS could not be reached', advice: SIDE },
  bad_response: { words: 'AWS sent an answer flowkey cannot read', advice: SIDE },
})
