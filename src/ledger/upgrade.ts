/** @module Upgrade without loss: moves flowkey 0.1's KV records (`state`, `watchlist`, `number:*`) into the ledger on first use. */
import type { OutboxEntry, ChannelName, ChannelStats } from '../notify/outbox'
import { LEGACY_NUMBER_PREFIX, LEGACY_STATE_KEY, LEGACY_WATCHLIST_KEY } from '../store/kv-keys'
import type { NumberRecord, NumberStatus } from '../store/records'
import { isPod } from '../sources/kaleyra/pods'
import { appendHistory } from './number-records'
import { raiseMark } from './publish'
import type { RunSummary } from './run-table'
import { readMeta, writeMeta } from './schema'

/** Number records read per step: one step stays well inside KV's 1,000 operations per invocation. */
const RECORDS_PER_STEP = 200

interface LegacyState {
  v: 1
  last_run?: {
    id: string
    trigger: 'cron' | 'manual'
    cron: string | null
    started_at: string
    finished_at: string
    checked: number
    succeeded: number
    failed: number
    events: number
  } | null
  numbers?: Record<string, NumberStatus>
  pods?: Record<string, string>
  outbox?: OutboxEntry[]
  channels?: Partial<Record<ChannelName, ChannelStats>>
  heartbeat?: unknown
}

interface LegacyWatchlist {
  v: 1
  numbers: Record<string, { sid: string; pod: string; added_at: string } | null>
}

type Progress = { phase: 'records'; cursor: string | null } | { phase: 'done' }

/** One step of the upgrade; true once nothing is left. Safe to call at every start: a done upgrade costs one row read. */
export async function upgradeStep(sql: SqlStorage, kv: KVNamespace): Promise<boolean> {
  const progress = readMeta<Progress>(sql, 'upgrade')
  if (progress?.phase === 'done') return true
  if (!progress) {
    const [state, watchlist] = await Promise.all([readJson<LegacyState>(kv, LEGACY_STATE_KEY), readJson<LegacyWatchlist>(kv, LEGACY_WATCHLIST_KEY)])
    if (!state && !watchlist) {
      writeMeta(sql, 'upgrade', { phase: 'done' })
      return true
    }
    importStateAndWatchlist(sql, state, watchlist)
    writeMeta(sql, 'upgrade', { phase: 'records', cursor: null })
  }
  const cursor = progress?.phase === 'records' ? progress.cursor : null
  const page = await kv.list({ prefix: LEGACY_NUMBER_PREFIX, cursor: cursor ?? undefined, limit: RECORDS_PER_STEP })
  const records = await Promise.all(page.keys.map((k) => readJson<NumberRecord>(kv, k.name)))
  for (const record of records) if (record?.v === 1) importRecord(sql, record)
  if (page.list_complete) {
    writeMeta(sql, 'upgrade', { phase: 'done' })
    raiseMark(sql, 'jwks')
    return true
  }
  writeMeta(sql, 'upgrade', { phase: 'records', cursor: page.cursor })
  return false
}

function importStateAndWatchlist(sql: SqlStorage, state: LegacyState | null, watchlist: LegacyWatchlist | null): void {
  for (const [phone, entry] of Object.entries(watchlist?.numbers ?? {})) {
    if (entry === null) {
      sql.exec(
        `INSERT OR REPLACE INTO watch (phone, sid, pod, endpoint_url, added_at, hidden) VALUES (?, '', 'auto', NULL, ?, 1)`,
        phone,
        new Date().toISOString(),
      )
    } else {
      sql.exec(
        `INSERT OR REPLACE INTO watch (phone, sid, pod, endpoint_url, added_at, hidden) VALUES (?, ?, ?, NULL, ?, 0)`,
        phone,
        entry.sid,
        isPod(entry.pod) ? entry.pod : 'auto',
        entry.added_at,
      )
    }
  }
  for (const [phone, status] of Object.entries(state?.numbers ?? {})) {
    sql.exec(
      `INSERT OR REPLACE INTO numbers (phone, sid, status, event_seq, updated_at, doc_dirty, history_dirty) VALUES (?, ?, ?, ?, ?, 1, 1)`,
      phone,
      status.sid,
      JSON.stringify(status),
      status.event_seq,
      status.checked_at,
    )
  }
  for (const [sid, pod] of Object.entries(state?.pods ?? {})) {
    sql.exec(`INSERT OR REPLACE INTO pods (sid, ranking, measured_at, remembered) VALUES (?, '[]', 0, ?)`, sid, pod)
  }
  // Every pending event keeps its id, its attempts and its place in the order.
  for (const entry of state?.outbox ?? []) {
    for (const [channel, delivery] of Object.entries(entry.deliveries)) {
      if (delivery?.state !== 'pending') continue
      sql.exec(
        'INSERT OR IGNORE INTO outbox (event_id, channel, phone, event, queued_at, delivery, pending, next_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)',
        entry.event.id,
        channel,
        entry.event.data.phone,
        JSON.stringify(entry.event),
        entry.queued_at,
        JSON.stringify(delivery),
        delivery.next_at,
      )
    }
  }
  for (const [channel, stats] of Object.entries(state?.channels ?? {})) {
    sql.exec('INSERT OR REPLACE INTO channels (name, stats) VALUES (?, ?)', channel, JSON.stringify(stats))
  }
  if (state?.heartbeat) writeMeta(sql, 'heartbeat', state.heartbeat)
  const last = state?.last_run
  if (last) {
    const run: RunSummary = {
      id: last.id,
      trigger: last.trigger,
      cron: last.cron,
      started_at: last.started_at,
      finished_at: last.finished_at,
      skipped: 0,
      batches: 1,
      reported: 1,
      dead: 0,
      checked: last.checked,
      succeeded: last.succeeded,
      failed: last.failed,
      events: last.events,
      kv_writes: 0,
      max_subrequests: null,
      max_in_flight: null,
    }
    writeMeta(sql, 'last_complete_run', run)
    writeMeta(sql, 'run_doc', {
      mark: 1,
      doc: {
        v: 2,
        id: run.id,
        trigger: run.trigger,
        cron: run.cron,
        started_at: run.started_at,
        finished_at: last.finished_at,
        checked: run.checked,
        succeeded: run.succeeded,
        failed: run.failed,
      },
    })
  }
}

/** A record fills in keys and history; a number the ledger has recorded since keeps what the ledger knows. */
function importRecord(sql: SqlStorage, record: NumberRecord): void {
  const row = sql.exec<{ event_seq: number }>('SELECT event_seq FROM numbers WHERE phone = ?', record.phone).toArray()[0]
  if (row && row.event_seq > record.event_seq) return
  if (!row) {
    // A number no longer watched: its history stays readable.
    sql.exec(
      `INSERT INTO numbers (phone, sid, status, event_seq, updated_at) VALUES (?, ?, ?, ?, ?)`,
      record.phone,
      record.sid,
      JSON.stringify(statusOfRecord(record)),
      record.event_seq,
      record.updated_at,
    )
  }
  sql.exec(
    'UPDATE numbers SET current_key = ?, previous_key = ?, event_seq = MAX(event_seq, ?), doc_dirty = doc_dirty + 1, history_dirty = history_dirty + 1 WHERE phone = ?',
    record.current ? JSON.stringify(record.current) : null,
    record.previous ? JSON.stringify(record.previous) : null,
    record.event_seq,
    record.phone,
  )
  appendHistory(sql, record.phone, [...record.history].reverse())
}

function statusOfRecord(record: NumberRecord): NumberStatus {
  const key = record.current
  return {
    sid: record.sid,
    pod: key?.pod ?? null,
    checked_at: record.updated_at,
    outcome: key ? 'key' : 'no_key',
    error: null,
    consecutive_failures: 0,
    failing: false,
    kid: key?.kid ?? null,
    signature_status: key?.signature_status ?? null,
    jwk: key?.jwk ?? null,
    removed_kid: key ? null : (record.previous?.kid ?? null),
    fetched_at: record.updated_at,
    event_seq: record.event_seq,
  }
}

async function readJson<T>(kv: KVNamespace, key: string): Promise<T | null> {
  const text = await kv.get(key, 'text')
  if (!text) return null
  try {
    return JSON.parse(text) as T
  } catch {
    return null
  }
}
