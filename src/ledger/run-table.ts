/** @module Runs and their batches: planned by the ledger, reported by consumers, complete when every batch is in. */
import type { Pod, PodSetting } from '../sources/kaleyra/pods'
import type { SourceFields } from '../sources/source'
import type { RunDoc } from '../store/edge-docs'
import type { InvocationCost } from '../watch/invocation-cost'
import { readMeta, writeMeta } from './schema'

/** Runs kept for /v1/status; older ones leave with their batches. */
const RUNS_KEPT = 50

/** The source fields are absent in a message planned before them: a Kaleyra number. */
export interface BatchNumber extends Partial<SourceFields> {
  phone: string
  sid: string
  pod: PodSetting
  endpoint_url: string | null
}

/** A `CHECKS` queue message: one batch of one run. */
export interface CheckMessage {
  run_id: string
  batch: number
  /** The run's clock at planning (ms): a look is never recorded as earlier than its run. */
  planned_at: number
  numbers: BatchNumber[]
  /** For `auto` numbers: per SID, the pods to ask in order, and whether to measure them first. */
  pods: Record<string, { order: Pod[]; measure: boolean }>
}

export interface RunSummary {
  id: string
  trigger: 'cron' | 'manual'
  cron: string | null
  started_at: string
  finished_at: string | null
  batches: number
  reported: number
  dead: number
  checked: number
  succeeded: number
  failed: number
  events: number
  /**
   * Numbers this run did not queue because their check from an earlier run was still queued: a cron that
   * fires while the run before it drains does not check a number twice at once. A run that skipped every
   * number has no batches and checked nothing; it does not count as a complete run.
   */
  skipped: number
  /** KV writes the run caused: one per edge document its checks changed, and its own run document. */
  kv_writes: number
  /** The costliest consumer invocation of the run: subrequests, and connections open at once. */
  max_subrequests: number | null
  max_in_flight: number | null
}

type RunRow = {
  id: string
  trigger: 'cron' | 'manual'
  cron: string | null
  started_at: number
  finished_at: number | null
  batches: number
  reported: number
  checked: number
  succeeded: number
  events: number
  dead: number
  kv_writes: number
  keys_changed: number
  skipped: number
  max_subrequests?: number | null
  max_in_flight?: number | null
}

export function createRun(
  sql: SqlStorage,
  id: string,
  trigger: 'cron' | 'manual',
  cron: string | null,
  now: number,
  batches: readonly BatchNumber[][],
  skipped = 0,
): void {
  sql.exec('INSERT INTO runs (id, trigger, cron, started_at, batches, skipped) VALUES (?, ?, ?, ?, ?, ?)', id, trigger, cron, now, batches.length, skipped)
  batches.forEach((numbers, idx) => {
    sql.exec(`INSERT INTO batches (run_id, idx, numbers, state) VALUES (?, ?, ?, 'queued')`, id, idx, JSON.stringify(numbers.map((n) => n.phone)))
  })
  // Keep the table bounded: the oldest runs go, complete or not.
  sql.exec('DELETE FROM batches WHERE run_id IN (SELECT id FROM runs ORDER BY started_at DESC LIMIT -1 OFFSET ?)', RUNS_KEPT)
  sql.exec('DELETE FROM runs WHERE id IN (SELECT id FROM runs ORDER BY started_at DESC LIMIT -1 OFFSET ?)', RUNS_KEPT)
}

export type BatchState = 'queued' | 'reported' | 'dead' | 'unknown'

export function batchState(sql: SqlStorage, runId: string, idx: number): BatchState {
  const row = sql.exec<{ state: BatchState }>('SELECT state FROM batches WHERE run_id = ? AND idx = ?', runId, idx).toArray()[0]
  return row?.state ?? 'unknown'
}

/** Books a batch as reported (or dead); returns the run when this was its last batch. */
export function finishBatch(
  sql: SqlStorage,
  runId: string,
  idx: number,
  state: 'reported' | 'dead',
  counts: { checked: number; succeeded: number; events: number; documents: number; keysChanged: boolean },
  now: number,
  error: string | null = null,
  cost: InvocationCost | null = null,
): RunSummary | null {
  writeMeta(sql, 'last_batch_at', now)
  sql.exec(
    'UPDATE batches SET state = ?, reported_at = ?, error = ?, subrequests = ?, max_in_flight = ? WHERE run_id = ? AND idx = ?',
    state,
    now,
    error,
    cost?.subrequests ?? null,
    cost?.max_in_flight ?? null,
    runId,
    idx,
  )
  sql.exec(
    `UPDATE runs SET reported = reported + 1, checked = checked + ?, succeeded = succeeded + ?, events = events + ?, dead = dead + ?,
       kv_writes = kv_writes + ?, keys_changed = MAX(keys_changed, ?) WHERE id = ?`,
    counts.checked,
    counts.succeeded,
    counts.events,
    state === 'dead' ? 1 : 0,
    counts.documents,
    counts.keysChanged ? 1 : 0,
    runId,
  )
  const run = sql
    .exec<RunRow>(
      `SELECT runs.*, (SELECT MAX(subrequests) FROM batches WHERE run_id = runs.id) AS max_subrequests,
    (SELECT MAX(max_in_flight) FROM batches WHERE run_id = runs.id) AS max_in_flight FROM runs WHERE id = ?`,
      runId,
    )
    .toArray()[0]
  if (!run || run.finished_at !== null || run.reported < run.batches) return null
  // The run's own document is one more write, and the fleet JWKS one when a served key changed (once, however many batches).
  const more = 1 + (run.keys_changed ? 1 : 0)
  sql.exec('UPDATE runs SET finished_at = ?, kv_writes = kv_writes + ? WHERE id = ?', now, more, runId)
  const done = summary({ ...run, finished_at: now, kv_writes: run.kv_writes + more })
  completeRun(sql, done)
  return done
}

/** A complete run is what /healthz and HEARTBEAT_URL count; it is saved before either hears of it. */
function completeRun(sql: SqlStorage, run: RunSummary): void {
  const last = readMeta<RunSummary>(sql, 'last_complete_run')
  // Two overlapping runs may finish out of order: the newer start is the one that counts.
  if (last && last.started_at > run.started_at) return
  writeMeta(sql, 'last_complete_run', run)
  const doc: RunDoc = {
    v: 2,
    id: run.id,
    trigger: run.trigger,
    cron: run.cron,
    started_at: run.started_at,
    finished_at: run.finished_at ?? run.started_at,
    checked: run.checked,
    succeeded: run.succeeded,
    failed: run.failed,
  }
  const mark = (readMeta<{ mark: number }>(sql, 'run_doc')?.mark ?? 0) + 1
  writeMeta(sql, 'run_doc', { mark, doc })
  writeMeta(sql, 'heartbeat_due', true)
}

export function lastCompleteRun(sql: SqlStorage): RunSummary | null {
  const run = readMeta<RunSummary>(sql, 'last_complete_run')
  // Saved before runs could skip numbers.
  return run ? { ...run, skipped: run.skipped ?? 0 } : null
}

export function recentRuns(sql: SqlStorage, limit: number): RunSummary[] {
  return sql
    .exec<RunRow>(
      `SELECT runs.*, (SELECT MAX(subrequests) FROM batches WHERE run_id = runs.id) AS max_subrequests,
      (SELECT MAX(max_in_flight) FROM batches WHERE run_id = runs.id) AS max_in_flight FROM runs ORDER BY started_at DESC LIMIT ?`,
      limit,
    )
    .toArray()
    .map(summary)
}

export interface DeadBatch {
  run_id: string
  batch: number
  numbers: string[]
  at: string
  error: string | null
}

export function deadBatches(sql: SqlStorage, limit: number): DeadBatch[] {
  return sql
    .exec<{ run_id: string; idx: number; numbers: string; reported_at: number; error: string | null }>(
      `SELECT run_id, idx, numbers, reported_at, error FROM batches WHERE state = 'dead' ORDER BY reported_at DESC LIMIT ?`,
      limit,
    )
    .toArray()
    .map((row) => ({
      run_id: row.run_id,
      batch: row.idx,
      numbers: JSON.parse(row.numbers) as string[],
      at: new Date(row.reported_at).toISOString(),
      error: row.error,
    }))
}

function summary(row: RunRow): RunSummary {
  return {
    id: row.id,
    trigger: row.trigger,
    cron: row.cron,
    started_at: new Date(row.started_at).toISOString(),
    finished_at: row.finished_at === null ? null : new Date(row.finished_at).toISOString(),
    batches: row.batches,
    reported: row.reported,
    dead: row.dead,
    checked: row.checked,
    succeeded: row.succeeded,
    failed: row.checked - row.succeeded,
    events: row.events,
    skipped: row.skipped ?? 0,
    kv_writes: row.kv_writes,
    max_subrequests: row.max_subrequests ?? null,
    max_in_flight: row.max_in_flight ?? null,
  }
}

/** A run's events are held for it this long at most: a batch that never reports does not hold deliveries up. */
export const RUN_HOLD_MS = 2 * 60_000

/** The start of the oldest run still under way and young enough to hold its events, if any. */
export function runUnderWaySince(sql: SqlStorage, now: number): number | null {
  return sql.exec<{ since: number | null }>('SELECT MIN(started_at) AS since FROM runs WHERE finished_at IS NULL AND started_at > ?', now - RUN_HOLD_MS).one()
    .since
}

/**
 * A queued batch counts as on its way for this long at most: a message the queue lost (neither delivered
 * nor dead-lettered) must not keep its numbers from ever being checked again.
 */
export const QUEUED_AT_MOST_MS = 30 * 60_000

/** Numbers whose check is queued (or under way) in a run that has not finished: the next plan leaves them out. */
export function numbersStillQueued(sql: SqlStorage, now: number): Set<string> {
  const phones = new Set<string>()
  const rows = sql
    .exec<{ numbers: string }>(
      `SELECT batches.numbers FROM batches JOIN runs ON runs.id = batches.run_id
       WHERE batches.state = 'queued' AND runs.finished_at IS NULL AND runs.started_at > ?`,
      now - QUEUED_AT_MOST_MS,
    )
    .toArray()
  for (const row of rows) for (const phone of JSON.parse(row.numbers) as string[]) phones.add(phone)
  return phones
}

export interface Draining {
  run_id: string
  started_at: string
  batches: number
  reported: number
  /** The last batch any run reported: checks are going on. */
  last_report_at: string | null
}

/** The oldest run still under way, if any, and when a batch last reported: /healthz is not stale while a run drains. */
export function drainingRun(sql: SqlStorage, now: number): Draining | null {
  const row = sql
    .exec<{ id: string; started_at: number; batches: number; reported: number }>(
      'SELECT id, started_at, batches, reported FROM runs WHERE finished_at IS NULL AND started_at > ? ORDER BY started_at LIMIT 1',
      now - QUEUED_AT_MOST_MS,
    )
    .toArray()[0]
  if (!row) return null
  const last = readMeta<number>(sql, 'last_batch_at')
  return {
    run_id: row.id,
    started_at: new Date(row.started_at).toISOString(),
    batches: row.batches,
    reported: row.reported,
    last_report_at: last === null ? null : new Date(last).toISOString(),
  }
}
