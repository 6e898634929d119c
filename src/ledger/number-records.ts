/** @module Each number's last check, key records and history, as rows of the ledger. */
import type { FlowkeyEvent, HistoryEntry } from '../notify/events'
import type { EndpointState } from '../probe'
import { HISTORY_LIMIT, type KeyRecord, type NumberRecord, type NumberStatus } from '../store/records'

type NumberRow = {
  endpoint: string | null
  phone: string
  sid: string
  status: string
  current_key: string | null
  previous_key: string | null
  event_seq: number
  updated_at: string
}

export interface StoredNumber {
  status: NumberStatus
  record: NumberRecord
  /** The endpoint probe's state, for the URL it was probed at; null before any probe. */
  endpoint: StoredEndpoint | null
}

export interface StoredEndpoint extends EndpointState {
  /** The endpoint as it may be shown (no query): a new URL starts a new state. */
  url: string
}

const parse = <T>(text: string | null): T | null => (text ? (JSON.parse(text) as T) : null)

/** The number's status and record (history not loaded: decisions do not need it). */
export function readNumber(sql: SqlStorage, phone: string): StoredNumber | null {
  const row = sql.exec<NumberRow>('SELECT * FROM numbers WHERE phone = ?', phone).toArray()[0]
  return row ? fromRow(row) : null
}

export function readNumbers(sql: SqlStorage, phones: readonly string[]): Map<string, StoredNumber> {
  const found = new Map<string, StoredNumber>()
  // SQLite's default limit on bound parameters is generous, but a batch of 100 keeps each statement small.
  for (let i = 0; i < phones.length; i += 100) {
    const chunk = phones.slice(i, i + 100)
    const rows = sql.exec<NumberRow>(`SELECT * FROM numbers WHERE phone IN (${chunk.map(() => '?').join(',')})`, ...chunk).toArray()
    for (const row of rows) found.set(row.phone, fromRow(row))
  }
  return found
}

function fromRow(row: NumberRow): StoredNumber {
  const status = JSON.parse(row.status) as NumberStatus
  return {
    status,
    endpoint: parse<StoredEndpoint>(row.endpoint),
    record: {
      v: 1,
      phone: row.phone,
      sid: row.sid,
      current: parse<KeyRecord>(row.current_key),
      previous: parse<KeyRecord>(row.previous_key),
      history: [],
      event_seq: row.event_seq,
      updated_at: row.updated_at,
    },
  }
}

/**
 * Saves a number's new status and record, and appends its new events to history.
 * `docChanged` / `historyChanged` mark the edge documents to publish again.
 */
export function writeNumber(
  sql: SqlStorage,
  status: NumberStatus,
  record: NumberRecord,
  events: readonly FlowkeyEvent[],
  marks: { docChanged: boolean },
  endpoint?: StoredEndpoint,
): void {
  sql.exec(
    `INSERT INTO numbers (phone, sid, status, current_key, previous_key, event_seq, updated_at, doc_dirty, history_dirty)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (phone) DO UPDATE SET sid = excluded.sid, status = excluded.status, current_key = excluded.current_key,
       previous_key = excluded.previous_key, event_seq = excluded.event_seq, updated_at = excluded.updated_at,
       doc_dirty = numbers.doc_dirty + excluded.doc_dirty, history_dirty = numbers.history_dirty + excluded.history_dirty`,
    record.phone,
    record.sid,
    JSON.stringify(status),
    json(record.current),
    json(record.previous),
    record.event_seq,
    record.updated_at,
    marks.docChanged ? 1 : 0,
    events.length > 0 ? 1 : 0,
  )
  if (endpoint) sql.exec('UPDATE numbers SET endpoint = ? WHERE phone = ?', JSON.stringify(endpoint), record.phone)
  appendHistory(sql, record.phone, events)
}

export function appendHistory(sql: SqlStorage, phone: string, events: readonly HistoryEntry[]): void {
  if (events.length === 0) return
  for (const event of events) {
    sql.exec(
      'INSERT OR IGNORE INTO events (phone, seq, id, type, timestamp, event) VALUES (?, ?, ?, ?, ?, ?)',
      phone,
      event.seq,
      event.id,
      event.type,
      event.timestamp,
      JSON.stringify(event),
    )
  }
  // History is bounded by count, as it always was.
  sql.exec(
    'DELETE FROM events WHERE phone = ? AND seq <= (SELECT seq FROM events WHERE phone = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)',
    phone,
    phone,
    HISTORY_LIMIT,
  )
}

/** Newest first. */
export function readHistory(sql: SqlStorage, phone: string): HistoryEntry[] {
  return sql
    .exec<{ event: string }>('SELECT event FROM events WHERE phone = ? ORDER BY seq DESC LIMIT ?', phone, HISTORY_LIMIT)
    .toArray()
    .map((row) => JSON.parse(row.event) as HistoryEntry)
}

export function markDocDirty(sql: SqlStorage, phone: string): void {
  sql.exec('UPDATE numbers SET doc_dirty = doc_dirty + 1 WHERE phone = ?', phone)
}

const json = (value: unknown): string | null => (value == null ? null : JSON.stringify(value))
