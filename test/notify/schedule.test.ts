/** @module The retry schedule: the Standard Webhooks schedule on the ledger's clock, Retry-After (RFC 9110 §10.2.3), and the day before giving up. */
import { describe, expect, it } from 'vitest'
import { ATTEMPT_OFFSETS_MS, GIVE_UP_AFTER_MS, nextAttemptAt, shouldGiveUp } from '../../src/notify/schedule'
import { parseRetryAfter } from '../../src/net/retry-after'

const SECOND = 1_000
const MINUTE = 60_000
const HOUR = 60 * MINUTE

describe('schedule', () => {
  it('follows the Standard Webhooks schedule from the time the event was queued', () => {
    expect(ATTEMPT_OFFSETS_MS).toEqual([0, 5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR])
    // After the first failed attempt (at once), the second is 5 s after queueing, and so on.
    const queued = 1_000_000
    const attempts: number[] = [queued]
    let at = queued
    for (let failed = 1; !shouldGiveUp(failed, queued, at); failed++) {
      at = nextAttemptAt(failed, queued, at, null)
      attempts.push(at)
    }
    expect(attempts.map((t) => t - queued)).toEqual(ATTEMPT_OFFSETS_MS)
  })

  it('gives up after the tenth attempt, or a day after queueing', () => {
    expect(GIVE_UP_AFTER_MS).toBe(24 * HOUR)
    expect(shouldGiveUp(9, 0, 24 * HOUR)).toBe(false)
    expect(shouldGiveUp(10, 0, 24 * HOUR)).toBe(true)
    expect(shouldGiveUp(0, 0, 25 * HOUR)).toBe(true)
  })

  it('waits at least as long as Retry-After asks, up to a day, and never retries within a second', () => {
    expect(nextAttemptAt(1, 0, 1_000, 5 * MINUTE)).toBe(1_000 + 5 * MINUTE)
    expect(nextAttemptAt(1, 0, 1_000, null)).toBe(5 * SECOND)
    expect(nextAttemptAt(3, 0, 4 * HOUR, null)).toBe(4 * HOUR + SECOND)
    expect(nextAttemptAt(1, 0, 0, 30 * 24 * HOUR)).toBe(GIVE_UP_AFTER_MS)
  })
})

describe('Retry-After', () => {
  const now = Date.parse('2026-03-01T12:00:00Z')
  it('reads delta-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:05:00 GMT', now)).toBe(5 * MINUTE)
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0)
  })
  it('ignores what it cannot read, so the schedule alone decides', () => {
    for (const value of [null, '', 'soon', '-5', '1.5']) expect(parseRetryAfter(value, now)).toBeNull()
  })
})
