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

/** The mutes of some numbers (a page, a batch), by phone; `until` in ms too, for the run that ends them. */
export function readMutes(sql: SqlStorage, phones: readonly string[]): Map<string, Mute & { until_ms: number }> {
  const found = new Map<string, Mute & { until_ms: number }>()
  for (let i = 0; i < phones.length; i += 100) {
    const chunk = phones.slice(i, i + 100)
    for (const row of sql
      .exec<{ phone: string; until: number; reason: string; muted_at: number }>(`SELECT * FROM mutes WHERE phone IN (${chunk.map(() => '?').join()})`, ...chunk)
      .toArray()) {
      const iso = (ms: number): string => new Date(ms).toISOString()
      found.set(row.phone, { until: iso(row.until), reason: row.reason, muted_at: iso(row.muted_at), until_ms: row.until })
    }
  }
  return found
}

export function readMute(sql: SqlStorage, phone: string): Mute | null {
  return readMutes(sql, [phone]).get(phone) ?? null
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
  sql.exec('INSERT OR REPLACE INTO mutes (phone, until, reason, muted_at) VALUES (?, ?, ?, ?)', phone, until, reason, now)
}

/** Ends a mute; the mute that was, or null when the number was not muted. */
export function deleteMute(sql: SqlStorage, phone: string): Mute | null {
  const mute = readMute(sql, phone)
  if (mute) sql.exec('DELETE FROM mutes WHERE phone = ?', phone)
  return mute
}
