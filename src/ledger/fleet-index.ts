/**
 * @module The fleet's order and counts, kept by the ledger as it records: one row per watched number with its
 * attention rank (problems first), its reasons and a trigram index of its digits, plus the counts /healthz and the
 * page header read. Views read one page and a few counts, never the fleet.
 */
import { ATTENTION_REASONS, type AttentionReason } from '../rules/attention'

export const FLEET_INDEX_TABLES = [
  // `rank`: 0 for the most reasons, HEALTHY_RANK for none; with phone, the order every view lists numbers in.
  `CREATE TABLE IF NOT EXISTS fleet_index (phone TEXT PRIMARY KEY, rank INTEGER NOT NULL, reasons TEXT NOT NULL, muted_until INTEGER)`,
  `CREATE INDEX IF NOT EXISTS fleet_index_by_rank ON fleet_index (rank, phone)`,
  // Mutes that end make a number's reasons count again: found without a scan.
  `CREATE INDEX IF NOT EXISTS fleet_index_mute_ends ON fleet_index (muted_until) WHERE muted_until IS NOT NULL`,
  // ?q= finds digits anywhere in a number: trigrams, keyed by fleet_index's rowid.
  `CREATE VIRTUAL TABLE IF NOT EXISTS fleet_search USING fts5(phone, tokenize = 'trigram')`,
  `CREATE TABLE IF NOT EXISTS fleet_counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL)`,
]

/** A number with no reason; a number with k reasons ranks HEALTHY_RANK - k. */
export const HEALTHY_RANK = ATTENTION_REASONS.length

export function rankOf(reasons: readonly AttentionReason[]): number {
  return HEALTHY_RANK - reasons.length
}

/** What the ledger knows of one number now: `reasons` null means it is not watched (any more). */
export interface IndexEntry {
  phone: string
  reasons: readonly AttentionReason[] | null
  /** The end of its mute (ms) while muted: the reasons above are then empty until it ends. */
  mutedUntil: number | null
}

export interface FleetCounts {
  numbers: number
  attention: number
  reasons: Record<AttentionReason, number>
}

type IndexRow = { rowid: number; reasons: string; muted_until: number | null }

/** Writes each number's row and moves the counts by the difference, in the caller's transaction. */
export function writeIndex(sql: SqlStorage, entries: readonly IndexEntry[]): void {
  const delta = new Map<string, number>()
  const move = (name: string, by: number): void => void delta.set(name, (delta.get(name) ?? 0) + by)
  const count = (reasons: readonly AttentionReason[], sign: number): void => {
    move('numbers', sign)
    if (reasons.length > 0) move('attention', sign)
    for (const r of reasons) move(`reason:${r}`, sign)
  }
  for (const entry of entries) {
    const old = sql.exec<IndexRow>('SELECT rowid, reasons, muted_until FROM fleet_index WHERE phone = ?', entry.phone).toArray()[0]
    if (old) count(JSON.parse(old.reasons) as AttentionReason[], -1)
    if (entry.reasons === null) {
      if (old) {
        sql.exec('DELETE FROM fleet_index WHERE rowid = ?', old.rowid)
        sql.exec('DELETE FROM fleet_search WHERE rowid = ?', old.rowid)
      }
      continue
    }
    count(entry.reasons, 1)
    const reasons = JSON.stringify(entry.reasons)
    if (old) {
      if (old.reasons !== reasons || old.muted_until !== entry.mutedUntil)
        sql.exec('UPDATE fleet_index SET rank = ?, reasons = ?, muted_until = ? WHERE rowid = ?', rankOf(entry.reasons), reasons, entry.mutedUntil, old.rowid)
    } else {
      const { rowid } = sql
        .exec<{ rowid: number }>(
          'INSERT INTO fleet_index (phone, rank, reasons, muted_until) VALUES (?, ?, ?, ?) RETURNING rowid',
          entry.phone,
          rankOf(entry.reasons),
          reasons,
          entry.mutedUntil,
        )
        .one()
      sql.exec('INSERT INTO fleet_search (rowid, phone) VALUES (?, ?)', rowid, entry.phone)
    }
  }
  for (const [name, by] of delta) {
    if (by !== 0) sql.exec('INSERT INTO fleet_counts (name, n) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET n = n + excluded.n', name, by)
  }
}

/** Empties the index, for a rebuild from scratch (a new configuration, an upgrade). */
export function clearIndex(sql: SqlStorage): void {
  sql.exec('DELETE FROM fleet_index')
  sql.exec('DELETE FROM fleet_search')
  sql.exec('DELETE FROM fleet_counts')
}

/** The kept counts: a few rows, whatever the fleet's size. */
export function readCounts(sql: SqlStorage): FleetCounts {
  const found = new Map(
    sql
      .exec<{ name: string; n: number }>('SELECT name, n FROM fleet_counts')
      .toArray()
      .map((row) => [row.name, row.n]),
  )
  const reasons = Object.fromEntries(ATTENTION_REASONS.map((r) => [r, found.get(`reason:${r}`) ?? 0])) as Record<AttentionReason, number>
  return { numbers: found.get('numbers') ?? 0, attention: found.get('attention') ?? 0, reasons }
}

/** A label's counts (`?label=`), from its numbers' rows: as many rows as the label has numbers. */
export function labelCounts(sql: SqlStorage, label: string): FleetCounts {
  const reasons = Object.fromEntries(ATTENTION_REASONS.map((r) => [r, 0])) as Record<AttentionReason, number>
  let numbers = 0
  let attention = 0
  for (const row of sql.exec<{ reasons: string }>('SELECT reasons FROM fleet_index WHERE phone IN (SELECT phone FROM number_labels WHERE label = ?)', label)) {
    const found = JSON.parse(row.reasons) as AttentionReason[]
    numbers++
    if (found.length > 0) attention++
    for (const r of found) reasons[r]++
  }
  return { numbers, attention, reasons }
}

/** The first numbers needing attention, most reasons first: what an alert names. */
export function firstProblems(sql: SqlStorage, limit: number, label: string | null = null): { phone: string; reasons: AttentionReason[] }[] {
  const only = label === null ? '' : 'AND phone IN (SELECT phone FROM number_labels WHERE label = ?)'
  return sql
    .exec<{ phone: string; reasons: string }>(
      `SELECT phone, reasons FROM fleet_index WHERE rank < ? ${only} ORDER BY rank, phone LIMIT ?`,
      ...(label === null ? [HEALTHY_RANK, limit] : [HEALTHY_RANK, label, limit]),
    )
    .toArray()
    .map((row) => ({ phone: row.phone, reasons: JSON.parse(row.reasons) as AttentionReason[] }))
}

/** Numbers whose mute has ended by `now` while their row still counts them as muted. */
export function mutesEnded(sql: SqlStorage, now: number): string[] {
  return sql
    .exec<{ phone: string }>('SELECT phone FROM fleet_index WHERE muted_until IS NOT NULL AND muted_until <= ?', now)
    .toArray()
    .map((row) => row.phone)
}
