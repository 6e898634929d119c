/** @module Each number's recent checks at a glance: a bounded ring of marks per number (one row each), newest last. */
import type { ProbeResult } from '../probe'
import type { NumberStatus } from '../store/records'

/** Marks kept per number: 48 runs, a day at a 30-minute cron, four hours at a 5-minute one. */
export const STRIP_RUNS = 48
export const CHECK_MARKS = ['ok', 'failed', 'no_key', 'signature', 'endpoint'] as const
export type CheckMarkOutcome = (typeof CHECK_MARKS)[number]

export interface CheckMark {
  at: string
  outcome: CheckMarkOutcome
}

/** One mark is its outcome's letter and its time in base-36 seconds, fixed width: the ring is one string cut from the left. */
const TIME_CHARS = 7
const MARK_CHARS = 1 + TIME_CHARS
const LETTERS = 'ofnse'

export const CHECK_STRIP_TABLES = [`CREATE TABLE IF NOT EXISTS check_strips (phone TEXT PRIMARY KEY, marks TEXT NOT NULL)`]

/** What one check (and the probe after it) says, worst first: the mark's colour (pure). */
export function markOf(status: NumberStatus, probe: ProbeResult | null | undefined): CheckMarkOutcome {
  if (status.outcome === 'error') return 'failed'
  if (status.outcome === 'no_key' || !status.kid) return 'no_key'
  if (status.signature_status !== 'VALID') return 'signature'
  if (probe && probe.outcome !== 'ok' && !probe.inconclusive) return 'endpoint'
  return 'ok'
}

/** One statement, no read: the new mark is appended and the ring keeps its last STRIP_RUNS marks. */
export function appendMark(sql: SqlStorage, phone: string, outcome: CheckMarkOutcome, at: number): void {
  const mark =
    LETTERS[CHECK_MARKS.indexOf(outcome)] +
    Math.floor(at / 1000)
      .toString(36)
      .padStart(TIME_CHARS, '0')
  sql.exec(
    'INSERT INTO check_strips (phone, marks) VALUES (?, ?) ON CONFLICT (phone) DO UPDATE SET marks = substr(marks || excluded.marks, ?)',
    phone,
    mark,
    -STRIP_RUNS * MARK_CHARS,
  )
}

/** The strips of a page of numbers, oldest mark first. */
export function readStrips(sql: SqlStorage, phones: readonly string[]): Map<string, CheckMark[]> {
  const found = new Map<string, CheckMark[]>()
  for (let i = 0; i < phones.length; i += 100) {
    const chunk = phones.slice(i, i + 100)
    for (const row of sql.exec<{ phone: string; marks: string }>(`SELECT * FROM check_strips WHERE phone IN (${chunk.map(() => '?').join()})`, ...chunk)) {
      const marks: CheckMark[] = []
      for (let at = 0; at + MARK_CHARS <= row.marks.length; at += MARK_CHARS) {
        const outcome = CHECK_MARKS[LETTERS.indexOf(row.marks[at])] ?? 'failed'
        marks.push({ at: new Date(parseInt(row.marks.slice(at + 1, at + MARK_CHARS), 36) * 1000).toISOString(), outcome })
      }
      found.set(row.phone, marks)
    }
  }
  return found
}
