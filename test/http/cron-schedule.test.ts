/** @module The cron reader against croner (the library it replaced in the bundle) as an independent oracle, and what it refuses. */
import { Cron } from 'croner'
import { describe, expect, it } from 'vitest'
import { nextFiring, parseCron } from '../../src/http/cron-schedule'
import { STALE_GRACE_MS, staleAfter } from '../../src/http/cron-interval'

const EXPRESSIONS = [
  '*/10 * * * *',
  '* * * * *',
  '0 9 * * 1-5',
  '30 2 1 * *',
  '15,45 */3 * * SUN',
  '0 0 29 2 *',
  '5/15 8-18 * JAN-MAR,OCT mon-fri',
  '0 12 1 * 0',
  '0 0 13 * 5',
  '59 23 31 12 7',
]
const STARTS = ['2026-11-25T11:59:00Z', '2026-12-31T23:59:30Z', '2027-02-27T09:00:00Z', '2028-02-28T23:59:59Z', '2026-03-29T01:30:00Z']

describe('nextFiring', () => {
  it('agrees with croner on five firings of each expression from several starts', () => {
    for (const expression of EXPRESSIONS) {
      const ours = parseCron(expression)
      const theirs = new Cron(expression, { timezone: 'UTC', paused: true })
      for (const start of STARTS) {
        let a: number | null = Date.parse(start)
        let b: Date | null = new Date(start)
        for (let i = 0; i < 5; i++) {
          a = a === null ? null : nextFiring(ours, a)
          b = b === null ? null : theirs.nextRun(b)
          expect(a === null ? null : new Date(a).toISOString(), `${expression} from ${start}, firing ${i + 1}`).toBe(b?.toISOString() ?? null)
        }
      }
    }
  })

  it('reads ? as any (croner reads it as the current time, so it is not the oracle here)', () => {
    expect(new Date(nextFiring(parseCron('0 6 ? * SAT'), Date.parse('2026-11-25T11:59:00Z')) ?? 0).toISOString()).toBe('2026-11-28T06:00:00.000Z')
  })

  it('finds no firing for a date that never comes', () => {
    expect(nextFiring(parseCron('0 0 30 2 *'), Date.parse('2026-01-01T00:00:00Z'))).toBeNull()
  })

  it('refuses what it does not read', () => {
    for (const bad of ['* * * *', '0 0 L * *', '0 0 * * 5#3', '60 * * * *', '0 0 * * 8', '*/0 * * * *', '5-1 * * * *', 'x * * * *']) {
      expect(() => parseCron(bad), bad).toThrow(TypeError)
    }
  })
})

describe('staleAfter', () => {
  it('is three firings and the grace after the last complete run started', () => {
    expect(staleAfter('*/10 * * * *', Date.parse('2026-11-25T11:59:00Z'))).toBe(Date.parse('2026-11-25T12:20:00Z') + STALE_GRACE_MS)
  })
})

describe('a weekday cron over a weekend', () => {
  it('0 9 * * 1-5: a run of Friday 09:00 is not stale on Saturday, Sunday or Monday, and is once Wednesday 09:00 passes with no run', () => {
    const friday = Date.parse('2026-12-04T09:00:00Z')
    const limit = staleAfter('0 9 * * 1-5', friday)
    // Three firings after Friday's: Monday, Tuesday and Wednesday at 09:00, then the queue's grace.
    expect(limit).toBe(Date.parse('2026-12-09T09:00:00Z') + STALE_GRACE_MS)
    for (const at of ['2026-12-05T12:00:00Z', '2026-12-06T23:59:00Z', '2026-12-07T12:00:00Z', '2026-12-08T12:00:00Z'])
      expect(Date.parse(at), at).toBeLessThan(limit)
    expect(Date.parse('2026-12-09T09:00:00Z') + STALE_GRACE_MS + 1).toBeGreaterThan(limit)
  })
})
