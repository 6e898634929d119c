/** @module The retry schedule: exponential backoff on the run's clock, Retry-After (RFC 9110 §10.2.3), and the day before giving up. */
import { describe, expect, it } from 'vitest'
import { GIVE_UP_AFTER_MS, RETRY_MAX_MS, backoffMs, nextAttemptAt, parseRetryAfter, shouldGiveUp } from '../../src/notify/schedule'

const MINUTE = 60_000

describe('backoff', () => {
  it('doubles from a minute and stops growing at four hours', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 40].map((n) => backoffMs(n) / MINUTE)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 240, 240, 240])
    expect(RETRY_MAX_MS).toBe(240 * MINUTE)
  })

  it('keeps trying for at least a day, then gives up', () => {
    expect(GIVE_UP_AFTER_MS).toBeGreaterThanOrEqual(24 * 60 * MINUTE)
    expect(shouldGiveUp(0, GIVE_UP_AFTER_MS - 1)).toBe(false)
    expect(shouldGiveUp(0, GIVE_UP_AFTER_MS)).toBe(true)
    // Attempts at each backoff from the first failure: how many a dead receiver gets within the day.
    let at = 0
    let attempts = 1
    while (!shouldGiveUp(0, at)) at = nextAttemptAt(attempts++, at, null)
    expect(attempts).toBe(14)
  })

  it('waits at least as long as Retry-After asks, up to a day', () => {
    expect(nextAttemptAt(1, 1_000, 5 * MINUTE)).toBe(1_000 + 5 * MINUTE)
    expect(nextAttemptAt(1, 1_000, 1_000)).toBe(1_000 + MINUTE)
    expect(nextAttemptAt(1, 0, 30 * 24 * 60 * MINUTE)).toBe(GIVE_UP_AFTER_MS)
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
  it('ignores what it cannot read, so the backoff alone decides', () => {
    for (const value of [null, '', 'soon', '-5', '1.5']) expect(parseRetryAfter(value, now)).toBeNull()
  })
})
