/** @module What a person should do about a failing check, by the error's code: only an auth failure points at the API key. */
import type { ErrorCode } from '../errors'

const KALEYRA_SIDE =
  "Kaleyra is failing on its side or cannot be reached; flowkey retries every run. Check Kaleyra's status and contact Kaleyra support if it lasts"

const ADVICE: Partial<Record<ErrorCode, (sid: string) => string>> = {
  kaleyra_auth_failed: (sid) =>
    `Check the SID${sid} and its API key (KALEYRA_API_KEY, or KALEYRA_API_KEY_<SID>) against Kaleyra's console ("View API Key and SID")`,
  kaleyra_api_not_enabled: (sid) => `The Get Encryption Public Key API is not enabled for the account${sid} (WA-401): ask Kaleyra support to enable it`,
  kaleyra_bad_request: (sid) => `Check that the number is a WhatsApp business number of the account${sid}`,
  kaleyra_server_error: () => KALEYRA_SIDE,
  kaleyra_rate_limited: () =>
    'Kaleyra is limiting the rate of requests; flowkey retries every run. If it lasts, check more numbers per run less often (the cron) or ask Kaleyra for a higher limit',
  kaleyra_timeout: () => KALEYRA_SIDE,
  kaleyra_unreachable: () => KALEYRA_SIDE,
  kaleyra_bad_response: () => KALEYRA_SIDE,
  invalid_key: () =>
    "The key registered for the number is not an RSA key of at least 2,048 bits: upload your Flow endpoint's public key through Kaleyra (Set Encryption Public Key)",
  misconfigured: (sid) => `flowkey's configuration is incomplete for the account${sid}: see the problems at /healthz`,
}

/** One sentence, without the trailing reassurance the caller adds; `sid` as the reader should see it (e.g. in backticks), or null. */
export function failureAdvice(code: string | null, sid: string | null): string {
  const advice = code === null ? undefined : ADVICE[code as ErrorCode]
  return advice ? advice(sid === null ? '' : ` ${sid}`) : "See the error in /v1/status and the number's history"
}
