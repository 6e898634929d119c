/** @module Mutes as rows: a number muted until a time, for a reason; the row goes when the mute ends (DELETE, or the first run after `until`). */

export const MUTE_TABLES = [
  `CREATE TABLE IF NOT EXISTS mutes (phone TEXT PRIMARY KEY, until INTEGER NOT NULL, reason TEXT NOT NULL, muted_at INTEGER NOT NULL)`,
]

export interface Mute {
  /** ISO times. */
  until: string
  reason: string
  muted_at: string
}

type MuteRow = { phone: string; until: number; reason: string; muted_at: number }

const toMute = (row: MuteRow): Mute => ({ until: new Date(row.until).toISOString(), reason: row.reason, muted_at: new Date(row.muted_at).toISOString() })

export function readMute(sql: SqlStorage, phone: string): Mute | null {
  const row = sql.exec<MuteRow>('SELECT * FROM mutes WHERE phone = ?', phone).toArray()[0]
  return row ? toMute(row) : null
}

/** The mutes of some numbers (a page, a batch), by phone. */
export function readMutes(sql: SqlStorage, phones: readonly string[]): Map<string, Mute> {
  const found = new Map<string, Mute>()
  for (let i = 0; i < phones.length; i += 100) {
    const chunk = phones.slice(i, i + 100)
    const rows = sql.exec<MuteRow>(`SELECT * FROM mutes WHERE phone IN (${chunk.map(() => '?').join(',')})`, ...chunk).toArray()
    for (const row of rows) found.set(row.phone, toMute(row))
  }
  return found
}

/** Every muted number: few, so the whole set is read at once. */
export function mutedPhones(sql: SqlStorage): Set<string> {
  return new Set(
    sql
      .exec<{ phone: string }>('SELECT phone FROM mutes')
      .toArray()
      .map((row) => row.phone),
  )
}

export function writeMute(sql: SqlStorage, phone: string, until: number, reason: string, now: number): void {
  sql.exec(
    'INSERT INTO mutes (phone, until, reason, muted_at) VALUES (?, ?, ?, ?) ON CONFLICT (phone) DO UPDATE SET until = excluded.until, reason = excluded.reason, muted_at = excluded.muted_at',
    phone,
    until,
    reason,
    now,
  )
}

/** Ends a mute; the mute that was, or null when the number was not muted. */
export function deleteMute(sql: SqlStorage, phone: string): Mute | null {
  const mute = readMute(sql, phone)
  if (mute) sql.exec('DELETE FROM mutes WHERE phone = ?', phone)
  return mute
}

/** Of these numbers, those whose mute ran out by `now`. */
export function expiredMutes(sql: SqlStorage, phones: readonly string[], now: number): string[] {
  return [...readMutes(sql, phones)].filter(([, mute]) => Date.parse(mute.until) <= now).map(([phone]) => phone)
}
