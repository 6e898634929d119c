/** @module When a failed delivery is tried again, and when it is given up: the Standard Webhooks schedule, on the ledger's clock. */

const SECOND_MS = 1_000
const MINUTE_MS = 60 * SECOND_MS
const HOUR_MS = 60 * MINUTE_MS

/**
 * Attempt n goes out this long after the event was queued: at once, 5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h, 14 h, 20 h, 24 h (the Standard Webhooks specification's schedule).
 */
export const ATTEMPT_OFFSETS_MS: readonly number[] = [
  0,
  5 * SECOND_MS,
  5 * MINUTE_MS,
  30 * MINUTE_MS,
  2 * HOUR_MS,
  5 * HOUR_MS,
  10 * HOUR_MS,
  14 * HOUR_MS,
  20 * HOUR_MS,
  24 * HOUR_MS,
]
/** After the last attempt fails, the event is given up and recorded as a dead letter. */
export const GIVE_UP_AFTER_MS = ATTEMPT_OFFSETS_MS[ATTEMPT_OFFSETS_MS.length - 1]
/** A receiver's Retry-After is honoured up to this; longer asks are read as "try tomorrow". */
export const RETRY_AFTER_MAX_MS = GIVE_UP_AFTER_MS
/** However late the ledger's alarm ran, two attempts are at least this far apart. */
const MIN_GAP_MS = SECOND_MS

/** Time of the next attempt after `attempts` failed ones, or later when the receiver asked for it. */
export function nextAttemptAt(attempts: number, queuedAt: number, now: number, retryAfterMs: number | null): number {
  const offset = ATTEMPT_OFFSETS_MS[Math.min(attempts, ATTEMPT_OFFSETS_MS.length - 1)]
  return Math.max(queuedAt + offset, now + MIN_GAP_MS, now + Math.min(retryAfterMs ?? 0, RETRY_AFTER_MAX_MS))
}

/** Every attempt of the schedule was made, or the event is a day old. */
export function shouldGiveUp(attempts: number, queuedAt: number, now: number): boolean {
  return attempts >= ATTEMPT_OFFSETS_MS.length || now - queuedAt >= GIVE_UP_AFTER_MS + MINUTE_MS
}
