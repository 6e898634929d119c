/** @module Kaleyra's failure codes, one row each (columns in failure-row.ts): what `auto` tries next and what a person reads. */
import { REASON_COLUMNS, rateAdvice, sourceTable, theirSide, type FailureRow } from '../failure-row'

const SIDE = () => theirSide('Kaleyra', "Kaleyra's status")
/** A pod that refuses the account, or does not answer, may not be the account's pod: `auto` asks the next. */
const NEXT_POD = { nextPod: true }

export const KALEYRA_FAILURES = {
  ...sourceTable('kaleyra', {
    auth_failed: {
      words: 'Kaleyra refused the API key',
      advice: ({ sid }) => `Check the SID${sid} and its API key (KALEYRA_API_KEY, or KALEYRA_API_KEY_<SID>) against Kaleyra's console ("View API Key and SID")`,
      columns: NEXT_POD,
    },
    permission_denied: {
      words: 'Kaleyra does not let this account read the key',
      advice: ({ sid }) => `Ask Kaleyra which permissions the account${sid} lacks`,
    },
    not_found: { words: 'Kaleyra does not know this number', advice: ({ sid }) => `Check that the number is a WhatsApp business number of the account${sid}` },
    bad_request: {
      words: 'Kaleyra rejected the request (the number may not be registered on this account)',
      advice: ({ sid }) => `Check that the number is a WhatsApp business number of the account${sid}`,
    },
    rate_limited: { words: 'Kaleyra is rate-limiting the account', advice: () => rateAdvice('Kaleyra') },
    server_error: { words: 'Kaleyra answered with a server error', advice: SIDE, columns: NEXT_POD },
    timeout: { words: 'Kaleyra did not answer in time', advice: SIDE, columns: NEXT_POD },
    unreachable: { words: 'Kaleyra could not be reached', advice: SIDE, columns: NEXT_POD },
    bad_response: { words: 'Kaleyra sent an answer flowkey cannot read', advice: SIDE },
  }),
  kaleyra_api_not_enabled: {
    ...REASON_COLUMNS.auth_failed,
    ...NEXT_POD,
    words: 'the Flows encryption API is not enabled for this Kaleyra account',
    advice: ({ sid }) => `The Get Encryption Public Key API is not enabled for the account${sid} (WA-401): ask Kaleyra support to enable it`,
  },
} satisfies Record<string, FailureRow>
