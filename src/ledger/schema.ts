/** @module The ledger's SQLite tables (docs/storage-schema.md): created on first use, versioned in `meta`. */
import { FLEET_INDEX_TABLES } from './fleet-index'
import { LABEL_TABLES } from './label-table'
import { MUTE_TABLES } from './mute-table'
import { CHECK_STRIP_TABLES } from './check-strip'

export const SCHEMA_VERSION = 1

/** Each statement runs once per object start; `IF NOT EXISTS` keeps a restart cheap. */
const TABLES = [
  // The watch list: numbers added through the operator routes. `hidden` marks a WATCH_NUMBERS number that was deleted.
  `CREATE TABLE IF NOT EXISTS watch (
    phone TEXT PRIMARY KEY, sid TEXT NOT NULL, pod TEXT NOT NULL, endpoint_url TEXT,
    added_at TEXT NOT NULL, hidden INTEGER NOT NULL DEFAULT 0)`,
  // One row per number ever checked: its last check (status JSON), key records and endpoint probe state; kept after DELETE.
  `CREATE TABLE IF NOT EXISTS numbers (
    phone TEXT PRIMARY KEY, sid TEXT NOT NULL, status TEXT NOT NULL,
    current_key TEXT, previous_key TEXT, event_seq INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL, endpoint TEXT, doc_dirty INTEGER NOT NULL DEFAULT 1, history_dirty INTEGER NOT NULL DEFAULT 1)`,
  // The publisher's work list: only the rows with a document to write, so a publish never scans the fleet.
  `CREATE INDEX IF NOT EXISTS numbers_to_publish ON numbers (phone) WHERE doc_dirty > 0 OR history_dirty > 0`,
  // History, newest by seq; bounded per number when written.
  `CREATE TABLE IF NOT EXISTS events (
    phone TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL,
    timestamp TEXT NOT NULL, event TEXT NOT NULL, PRIMARY KEY (phone, seq))`,
  // One row per event and channel still owed or settled recently; `pos` keeps queue order.
  `CREATE TABLE IF NOT EXISTS outbox (
    pos INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, channel TEXT NOT NULL,
    phone TEXT NOT NULL, event TEXT NOT NULL, queued_at INTEGER NOT NULL, delivery TEXT NOT NULL,
    pending INTEGER NOT NULL, next_at INTEGER NOT NULL, UNIQUE (event_id, channel))`,
  `CREATE INDEX IF NOT EXISTS outbox_due ON outbox (channel, pending, pos)`,
  `CREATE TABLE IF NOT EXISTS channels (name TEXT PRIMARY KEY, stats TEXT NOT NULL)`,
  // Runs and their batches: a run is complete when every batch has reported (or was dead-lettered).
  `CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, trigger TEXT NOT NULL, cron TEXT, started_at INTEGER NOT NULL,
    finished_at INTEGER, batches INTEGER NOT NULL, reported INTEGER NOT NULL DEFAULT 0,
    checked INTEGER NOT NULL DEFAULT 0, succeeded INTEGER NOT NULL DEFAULT 0,
    events INTEGER NOT NULL DEFAULT 0, dead INTEGER NOT NULL DEFAULT 0, kv_writes INTEGER NOT NULL DEFAULT 0, keys_changed INTEGER NOT NULL DEFAULT 0)`,
  `CREATE TABLE IF NOT EXISTS batches (
    run_id TEXT NOT NULL, idx INTEGER NOT NULL, numbers TEXT NOT NULL, state TEXT NOT NULL,
    reported_at INTEGER, error TEXT, subrequests INTEGER, max_in_flight INTEGER, PRIMARY KEY (run_id, idx))`,
  // KALEYRA_POD=auto: each SID's pods ranked by measured round trip.
  `CREATE TABLE IF NOT EXISTS pods (sid TEXT PRIMARY KEY, ranking TEXT NOT NULL, measured_at INTEGER NOT NULL, remembered TEXT)`,
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  ...LABEL_TABLES,
  ...MUTE_TABLES,
  ...CHECK_STRIP_TABLES,
  ...FLEET_INDEX_TABLES,
]

/** Columns added after a table's first release: `CREATE TABLE IF NOT EXISTS` leaves an existing table as it was. */
const ADDED_COLUMNS: { table: string; column: string; definition: string }[] = [
  // Numbers a run left out because their check from an earlier run was still queued.
  { table: 'runs', column: 'skipped', definition: 'INTEGER NOT NULL DEFAULT 0' },
  // A number's key source (INTERFACE.md, "Key sources"): an older row stands for a Kaleyra number.
  { table: 'watch', column: 'source', definition: "TEXT NOT NULL DEFAULT 'kaleyra'" },
  { table: 'watch', column: 'account', definition: 'TEXT' },
  { table: 'watch', column: 'phone_number_id', definition: 'TEXT' },
  { table: 'watch', column: 'region', definition: 'TEXT' },
]

export function createSchema(sql: SqlStorage): void {
  for (const statement of TABLES) sql.exec(statement)
  for (const { table, column, definition } of ADDED_COLUMNS) addColumn(sql, table, column, definition)
  sql.exec(`INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)`, String(SCHEMA_VERSION))
}

export function readMeta<T>(sql: SqlStorage, key: string): T | null {
  const row = sql.exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key).toArray()[0]
  return row ? (JSON.parse(row.value) as T) : null
}

export function writeMeta(sql: SqlStorage, key: string, value: unknown): void {
  sql.exec('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, JSON.stringify(value))
}

/** Adds a column to a table of an older ledger; a no-op when it is there. */
export function addColumn(sql: SqlStorage, table: string, column: string, definition: string): void {
  const exists = sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM pragma_table_info(?) WHERE name = ?', table, column).one().n > 0
  if (!exists) sql.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`)
}
