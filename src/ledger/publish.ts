/** @module Writes the edge documents that changed to KV, after the ledger committed the change. */
import type { FlowkeyEvent, HistoryEntry } from '../notify/events'
import { buildJwks, buildSingleJwks } from '../keys/jwks'
import type { PublicJwk } from '../keys/pem'
import type { HistoryDoc, JwksDoc, NumberDoc, RunDoc } from '../store/edge-docs'
import { JWKS_KEY, RUN_KEY, historyDocKey, numberDocKey } from '../store/kv-keys'
import type { KeyRecord, NumberStatus } from '../store/records'
import { readHistory } from './number-records'
import { readMeta, writeMeta } from './schema'
import { mapWithLimit } from '../watch/pool'

/** Workers KV allows 1,000 operations per invocation: one publish stays well inside, the alarm does the rest. */
export const MAX_DOCS_PER_PUBLISH = 400
/** KV puts under way at once. */
const PARALLEL_PUTS = 20

type DirtyRow = {
  phone: string
  status: string
  current_key: string | null
  doc_dirty: number
  history_dirty: number
}

export interface PublishResult {
  written: number
  /** Documents still to write: the alarm comes back for them. */
  remaining: number
}

/**
 * Publishes what is marked. Each mark is a counter: a change that lands while a write is
 * under way raises it again, so the document is written once more rather than left stale.
 */
export async function publishDocs(
  sql: SqlStorage,
  kv: KVNamespace,
  isWatched: (phone: string) => boolean,
  limit = MAX_DOCS_PER_PUBLISH,
): Promise<PublishResult> {
  const rows = sql
    .exec<DirtyRow>('SELECT phone, status, current_key, doc_dirty, history_dirty FROM numbers WHERE doc_dirty > 0 OR history_dirty > 0 LIMIT ?', limit)
    .toArray()
  // Built first, from one consistent read; written side by side (local KV and the edge both take parallel puts).
  const writes: { key: string; value: string; done: () => void }[] = []
  for (const row of rows) {
    const status = JSON.parse(row.status) as NumberStatus
    if (row.doc_dirty > 0) {
      const doc = numberDoc(row.phone, isWatched(row.phone), status, row.current_key ? (JSON.parse(row.current_key) as KeyRecord) : null)
      writes.push({
        key: numberDocKey(row.phone),
        value: JSON.stringify(doc),
        done: () => sql.exec('UPDATE numbers SET doc_dirty = 0 WHERE phone = ? AND doc_dirty = ?', row.phone, row.doc_dirty),
      })
    }
    if (row.history_dirty > 0) {
      writes.push({
        key: historyDocKey(row.phone),
        value: JSON.stringify(historyDoc(row.phone, readHistory(sql, row.phone))),
        done: () => sql.exec('UPDATE numbers SET history_dirty = 0 WHERE phone = ? AND history_dirty = ?', row.phone, row.history_dirty),
      })
    }
  }
  await mapWithLimit(writes, PARALLEL_PUTS, async (write) => {
    await kv.put(write.key, write.value)
    write.done()
  })
  let written = writes.length
  if (markOf(sql, 'jwks') > 0) {
    const mark = markOf(sql, 'jwks')
    const jwks = await fleetJwks(sql, isWatched)
    // Its ETag names its kids: an unchanged set of keys is not written again.
    if (jwks.etag !== readMeta<string>(sql, 'jwks_etag')) {
      await kv.put(JWKS_KEY, JSON.stringify(jwks))
      writeMeta(sql, 'jwks_etag', jwks.etag)
      written++
    }
    clearMark(sql, 'jwks', mark)
  }
  const run = readMeta<{ mark: number; doc: RunDoc }>(sql, 'run_doc')
  if (run && run.mark > 0) {
    await kv.put(RUN_KEY, JSON.stringify(run.doc))
    const now = readMeta<{ mark: number; doc: RunDoc }>(sql, 'run_doc')
    if (now && now.mark === run.mark) writeMeta(sql, 'run_doc', { ...now, mark: 0 })
    written++
  }
  // Every put, counted: the bench compares it with the documents the runs say they changed.
  writeMeta(sql, 'kv_puts_total', (readMeta<number>(sql, 'kv_puts_total') ?? 0) + written)
  if (written > (readMeta<number>(sql, 'max_puts_per_publish') ?? 0)) writeMeta(sql, 'max_puts_per_publish', written)
  const remaining = sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM numbers WHERE doc_dirty > 0 OR history_dirty > 0').one().n
  return { written, remaining }
}

export function numberDoc(phone: string, watched: boolean, status: NumberStatus, key: KeyRecord | null): NumberDoc {
  const checked = status.checked_at === new Date(0).toISOString() ? null : status.checked_at
  // A removed key is no longer served, though the record keeps it as previous.
  const current = status.kid ? key : null
  return {
    v: 2,
    phone,
    watched,
    outcome: checked ? status.outcome : null,
    source: status.source ?? 'kaleyra',
    pod: status.pod,
    checked_at: checked,
    fetched_at: status.fetched_at,
    key: current,
    jwks: current ? buildSingleJwks(current.jwk) : null,
  }
}

/** What anyone may read: no SID, and of an error only its code (the operator token gets the rest). */
export function publicEvent<E extends HistoryEntry>(event: E): E {
  const data = { ...event.data, sid: null, error: event.data.error ? { code: event.data.error.code } : null } as unknown as FlowkeyEvent['data']
  return { ...event, data }
}

export function historyDoc(phone: string, events: readonly HistoryEntry[]): HistoryDoc {
  const seq = events[0]?.seq ?? 0
  return { v: 2, phone, body: JSON.stringify({ phone, events: events.map(publicEvent) }), etag: `"h${seq}"` }
}

/** Every watched number's current key, each kid once. */
async function fleetJwks(sql: SqlStorage, isWatched: (phone: string) => boolean): Promise<JwksDoc> {
  const byKid = new Map<string, PublicJwk>()
  for (const row of sql.exec<{ phone: string; status: string }>('SELECT phone, status FROM numbers').toArray()) {
    if (!isWatched(row.phone)) continue
    const jwk = (JSON.parse(row.status) as NumberStatus).jwk
    if (jwk) byKid.set(jwk.kid, jwk)
  }
  return { v: 2, ...(await buildJwks([...byKid.values()])) }
}

export function raiseMark(sql: SqlStorage, name: string): void {
  writeMeta(sql, `mark:${name}`, markOf(sql, name) + 1)
}
function markOf(sql: SqlStorage, name: string): number {
  return readMeta<number>(sql, `mark:${name}`) ?? 0
}
function clearMark(sql: SqlStorage, name: string, seen: number): void {
  if (markOf(sql, name) === seen) writeMeta(sql, `mark:${name}`, 0)
}
