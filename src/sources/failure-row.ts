/** @module The columns of the failure table, the rows every source shares, and the failures that belong to no source. */
import type { SourcePrefix, SourceReason } from '../errors'

/** `sid` is the Kaleyra SID as the reader sees it, with a leading space, or empty. */
export interface AdviceContext {
  sid: string
}

export interface FailureRow {
  /** The same read may succeed if tried again (with backoff). */
  retry: boolean
  /** Kaleyra `auto`: another pod may answer where this one did not. */
  nextPod: boolean
  /** The host is failing, not the request (Kaleyra's pods are measured again sooner). */
  hostDown: boolean
  /** No answer came at all: counts toward the host's circuit breaker. */
  silent: boolean
  /** What went wrong, in a phrase (status pages, Slack). */
  words: string
  /** What to do about it, in a sentence. */
  advice: (ctx: AdviceContext) => string
}

type Columns = Omit<FailureRow, 'words' | 'advice'>
const QUIET: Columns = { retry: false, nextPod: false, hostDown: false, silent: false }

/** Whether each reason is worth retrying, and whether it means the host is down: the same for every source. */
export const REASON_COLUMNS: Readonly<Record<SourceReason, Columns>> = {
  auth_failed: QUIET,
  permission_denied: QUIET,
  not_found: QUIET,
  bad_request: QUIET,
  rate_limited: { ...QUIET, retry: true },
  server_error: { ...QUIET, retry: true, hostDown: true },
  timeout: { ...QUIET, retry: true, hostDown: true, silent: true },
  unreachable: { ...QUIET, retry: true, hostDown: true, silent: true },
  bad_response: { ...QUIET, retry: true },
}

/** The words of a source's table, one per reason; the columns come from REASON_COLUMNS unless a source says otherwise. */
export type SourceWords = Record<SourceReason, { words: string; advice: (ctx: AdviceContext) => string; columns?: Partial<Columns> }>

/** A source's table: a row per reason, keyed by its `<prefix>_<reason>` code. */
export function sourceTable<P extends SourcePrefix>(prefix: P, words: SourceWords): Record<`${P}_${SourceReason}`, FailureRow> {
  const table = {} as Record<`${P}_${SourceReason}`, FailureRow>
  for (const [reason, row] of Object.entries(words) as [SourceReason, SourceWords[SourceReason]][]) {
    table[`${prefix}_${reason}`] = { ...REASON_COLUMNS[reason], ...row.columns, words: row.words, advice: row.advice }
  }
  return table
}

/** The source's side: flowkey retries every run. */
export const theirSide = (name: string, statusPage: string): string =>
  `${name} is failing on its side or cannot be reached; flowkey retries every run. Check ${statusPage} and contact ${name} support if it lasts`

export const rateAdvice = (name: string): string =>
  `${name} is limiting the rate of requests; flowkey retries every run. If it lasts, check the numbers less often (the cron) or ask ${name} for a higher limit`

/** Failures that belong to no source: a bad key, a bad configuration, a missing secret. */
export const GENERAL_FAILURES: Record<'invalid_key' | 'misconfigured' | 'missing_credentials', FailureRow> = {
  invalid_key: {
    ...QUIET,
    words: 'the source returned a key that is not a usable RSA public key',
    advice: () =>
      "The key registered for the number is not an RSA key of at least 2,048 bits: upload your Flow endpoint's public key again through the number's provider",
  },
  misconfigured: {
    ...QUIET,
    words: "flowkey's configuration is incomplete",
    advice: ({ sid }) => `flowkey's configuration is incomplete for the account${sid}: see the problems at /healthz`,
  },
  missing_credentials: {
    ...QUIET,
    words: 'no credentials are configured for this number',
    advice: () => "Set the secret /healthz names for the number's source (npx wrangler secret put <NAME>); the number is not asked until then",
  },
}
