/** @module A failed read of a key source: its code, and whether trying again can help (from the code's row in the failure table). */
import { FlowkeyError, type SourceErrorCode } from '../errors'
import { failureRow } from './failures'

export class SourceError extends FlowkeyError {
  /** Transient failures (5xx, 429, time-outs, refused connections, garbled bodies) are retried; the rest are not. */
  readonly retryable: boolean
  readonly status: number | null
  /** From `Retry-After` (or a source's own backoff hint), when one was sent. */
  readonly retryAfterMs: number | null

  constructor(
    code: SourceErrorCode,
    message: string,
    details: { status?: number | null; retryAfterMs?: number | null; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(code, message, { cause: details.cause })
    this.name = 'SourceError'
    this.status = details.status ?? null
    this.retryAfterMs = details.retryAfterMs ?? null
    this.retryable = details.retryable ?? (failureRow(code)?.retry === true && answerMayChange(this.status))
  }
}

/** Whatever the code says, a redirect or a plain 4xx answer (429 and 408 aside) is the same next time. */
function answerMayChange(status: number | null): boolean {
  if (status === null || status < 300 || status >= 500) return true
  return status === 429 || status === 408
}
