/** @module Every failure flowkey reports carries one of these stable codes; the HTTP layer maps them to statuses in one place. */

export type ErrorCode =
  // HTTP edge
  | 'invalid_phone'
  | 'unknown_number'
  | 'no_key'
  | 'no_endpoint'
  | 'unauthorized'
  | 'not_found'
  | 'method_not_allowed'
  | 'invalid_request'
  | 'misconfigured'
  | 'stale'
  | 'no_check_yet'
  | 'conflict'
  | 'unsupported_media_type'
  | 'not_implemented'
  | 'needs_attention'
  | 'internal_error'
  | 'payload_too_large'
  // a queue batch that failed every attempt (ledger/ledger-object.ts)
  | 'check_dead_lettered'
  // A key source's answers (sources/<source>/failures.ts holds each code's row): `<prefix>_<reason>`
  | SourceErrorCode
  // key material
  | 'invalid_key'
  // Flow endpoint probes (see probe/outcome.ts): `endpoint_<outcome>`
  | 'endpoint_key_mismatch'
  | 'endpoint_signature_rejected'
  | 'endpoint_bad_response'
  | 'endpoint_http_error'
  | 'endpoint_unreachable'

/** Each key source's prefix in its error codes (`d360` stands for 360dialog: a code starts with a letter). */
export const SOURCE_PREFIXES = ['kaleyra', 'meta', 'd360', 'aws'] as const
export type SourcePrefix = (typeof SOURCE_PREFIXES)[number]

/** Why a read failed, the same words for every source. */
export const SOURCE_REASONS = [
  'auth_failed',
  'permission_denied',
  'not_found',
  'bad_request',
  'rate_limited',
  'server_error',
  'timeout',
  'unreachable',
  'bad_response',
] as const
export type SourceReason = (typeof SOURCE_REASONS)[number]

/** `kaleyra_api_not_enabled` is Kaleyra's own; `missing_credentials` is the one code no source is asked for. */
export type SourceErrorCode = `${SourcePrefix}_${SourceReason}` | 'kaleyra_api_not_enabled' | 'missing_credentials'

/** Base error: a stable `code` for machines, a sentence for people. */
export class FlowkeyError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'FlowkeyError'
    this.code = code
  }
}

/** Plain, serialisable form of an error, as stored in KV and sent in events. */
export interface ErrorInfo {
  code: ErrorCode
  message: string
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof FlowkeyError) return { code: err.code, message: err.message }
  return { code: 'internal_error', message: err instanceof Error ? err.message : String(err) }
}
