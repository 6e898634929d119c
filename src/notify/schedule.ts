/** @module When a failed delivery is tried again, and when it is given up: exponential backoff on the run's clock. */

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS

/** The first retry waits this long; each further one doubles it. The cron's period rounds it up in practice. */
export const RETRY_BASE_MS = MINUTE_MS
/** Backoff stops growing here, so a receiver that comes back is heard from within a few hours at worst. */
export const RETRY_MAX_MS = 4 * HOUR_MS
/** A delivery still failing this long after it was queued is given up and recorded as a dead letter. */
export const GIVE_UP_AFTER_MS = 24 * HOUR_MS
/** A receiver's Retry-After is honoured up to this; longer asks are read as "try tomorrow". */
export const RETRY_AFTER_MAX_MS = GIVE_UP_AFTER_MS

/** Delay before attempt `attempts + 1`, after `attempts` failed ones (1 min, 2, 4, ... 4 h). No jitter: one sender per receiver. */
export function backoffMs(attempts: number): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 30))
  return Math.min(RETRY_BASE_MS * 2 ** exponent, RETRY_MAX_MS)
}

/** Run-clock time of the next attempt: the backoff, or later when the receiver asked for it. */
export function nextAttemptAt(attempts: number, now: number, retryAfterMs: number | null): number {
  return now + Math.max(backoffMs(attempts), Math.min(retryAfterMs ?? 0, RETRY_AFTER_MAX_MS))
}

export function shouldGiveUp(queuedAt: number, now: number): boolean {
  return now - queuedAt >= GIVE_UP_AFTER_MS
}

/**
 * `Retry-After` as delta-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms from `realNow`;
 * null when absent or unreadable, so the backoff alone decides.
 */
export function parseRetryAfter(value: string | null, realNow: number): number | null {
  const text = value?.trim()
  if (!text) return null
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // HTTP-dates name a weekday and month; anything else Date.parse might accept ("1.5") is no date.
  const at = /[A-Za-z]{3}/.test(text) ? Date.parse(text) : Number.NaN
  return Number.isNaN(at) ? null : Math.max(0, at - realNow)
}
