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
  // Kaleyra answers (see kaleyra/classify.ts)
  | 'kaleyra_auth_failed'
  | 'kaleyra_api_not_enabled'
  | 'kaleyra_bad_request'
  | 'kaleyra_server_error'
  | 'kaleyra_rate_limited'
  | 'kaleyra_timeout'
  | 'kaleyra_unreachable'
  | 'kaleyra_bad_response'
  // key material
  | 'invalid_key'
  // Flow endpoint probes (see probe/outcome.ts): `endpoint_<outcome>`
  | 'endpoint_key_mismatch'
  | 'endpoint_signature_rejected'
  | 'endpoint_bad_response'
  | 'endpoint_http_error'
  | 'endpoint_unreachable'

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
