/** @module A failed Get Encryption Public Key attempt: its code, and whether trying again can help. */
import { FlowkeyError, type ErrorCode } from '../errors'

export class KaleyraError extends FlowkeyError {
  /** Transient failures (5xx, 429, time-outs, refused connections, garbled bodies) are retried; the rest are not. */
  readonly retryable: boolean
  readonly status: number | null
  /** From `Retry-After`, when Kaleyra sent one. */
  readonly retryAfterMs: number | null

  constructor(code: ErrorCode, message: string, details: { retryable: boolean; status?: number | null; retryAfterMs?: number | null; cause?: unknown }) {
    super(code, message, { cause: details.cause })
    this.name = 'KaleyraError'
    this.retryable = details.retryable
    this.status = details.status ?? null
    this.retryAfterMs = details.retryAfterMs ?? null
  }
}
