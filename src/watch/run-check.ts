/** @module A check run: look up every watched number, decide what changed, record it, then save the run's bookkeeping once. */
import type { Config, ConfigProblem } from '../config'
import type { ErrorInfo } from '../errors'
import type { FlowkeyEvent } from '../notify/events'
import { channelNames } from '../notify/channels'
import type { Deliver } from '../notify/deliver'
import { enqueue } from '../notify/outbox'
import { readNumberFresh, writeNumber } from '../store/numbers'
import type { NumberStatus, RunSummary, StateRecord } from '../store/records'
import { readStateFresh, rebuildJwks, writeState } from '../store/state'
import { mergeWatchlist, readWatchlist, type WatchedNumber } from '../store/watchlist'
import { applyDecision, decideChange, initialStatus, statusFromRecord, type DecideContext, type Decision } from './decide'
import { serialize } from './lock'
import { lookUpKey, type Look } from './observe'
import { meterFetch, meterKv, type RunCost } from './meter'
import { MAX_IN_FLIGHT, mapWithLimit } from './pool'
import { cronIntervalMs } from './schedule'

/** Events a crashed run recorded but never queued are re-queued only while they are this fresh. */
const REQUEUE_WINDOW_MS = 24 * 60 * 60_000
const HEARTBEAT_TIMEOUT_MS = 5_000
/** Workers KV allows 1,000 operations per invocation; recording a change costs two (read and write). */
export const KV_OPERATIONS_PER_RUN = 1000
/** The watch list and run record reads, and the run record write. */
const KV_OPERATIONS_RESERVED = 3

export type LogLine = Record<string, unknown> & { msg: string }

export interface RunDeps {
  kv: KVNamespace
  fetch: typeof fetch
  /** The run's clock (ms): the cron's scheduledTime, or the request time. */
  now: number
  log: (line: LogLine) => void
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** Sends what has fallen due in the outbox (notify/deliver.ts), with the run's metered fetch. */
  deliver?: Deliver
  /** KV operations one run may make; changes past it wait for the next run. */
  kvOperations?: number
}

export interface RunOptions {
  trigger: 'cron' | 'manual'
  cron: string | null
  /** Check this number only (POST /v1/check?phone=). */
  phone?: string
}

export interface NumberReport {
  phone: string
  sid: string
  pod: string | null
  outcome: NumberStatus['outcome']
  kid: string | null
  signature_status: string | null
  consecutive_failures: number
  error: ErrorInfo | null
  events: string[]
  /** The change was seen but not recorded: this run had used its KV operations; the next run records it. */
  deferred: boolean
}

export interface RunReport {
  id: string
  trigger: RunOptions['trigger']
  started_at: string
  finished_at: string
  checked: number
  succeeded: number
  failed: number
  deferred: number
  numbers: NumberReport[]
  events: FlowkeyEvent[]
  problems: ConfigProblem[]
  cost: RunCost
}

export function runCheck(config: Config, problems: ConfigProblem[], deps: RunDeps, options: RunOptions): Promise<RunReport> {
  return serialize(() => runCheckNow(config, problems, deps, options))
}

async function runCheckNow(config: Config, problems: ConfigProblem[], plainDeps: RunDeps, options: RunOptions): Promise<RunReport> {
  const realStart = Date.now()
  const cost: RunCost = { kv_reads: 0, kv_writes: 0, subrequests: 0 }
  const deps: RunDeps = { ...plainDeps, kv: meterKv(plainDeps.kv, cost), fetch: meterFetch(plainDeps.fetch, cost) }
  const { kv, now } = deps
  const id = `run_${now.toString(36)}_${Math.floor(Math.random() * 36 ** 4).toString(36)}`
  const watched = mergeWatchlist(config, await readWatchlist(kv, true))
  const targets = options.phone ? watched.filter((n) => n.phone === options.phone) : watched
  for (const problem of problems) deps.log({ msg: 'config problem', run: id, level: problem.level === 'warning' ? 'warn' : 'error', name: problem.name, problem: problem.message })
  // With config problems those lines already say why nothing is watched; "set WATCH_NUMBERS" would mislead when it is set.
  if (watched.length === 0 && problems.every((p) => p.level === 'warning')) {
    deps.log({ msg: 'nothing to watch: set WATCH_NUMBERS or add numbers with PUT /v1/numbers/{phone}', run: id, level: 'error' })
  }

  const state = await readStateFresh(kv)
  const looks = await mapWithLimit(targets, MAX_IN_FLIGHT, (target) =>
    lookUpKey(config, { ...target, rememberedPod: state.pods[target.sid] ?? null }, { fetch: deps.fetch, sleep: deps.sleep, random: deps.random }),
  )

  const channels = channelNames(config)
  const budget = { left: (deps.kvOperations ?? KV_OPERATIONS_PER_RUN) - KV_OPERATIONS_RESERVED }
  const events: FlowkeyEvent[] = []
  let keysChanged = false
  const reports = await mapWithLimit(targets.map((target, i) => ({ target, look: looks[i] })), MAX_IN_FLIGHT, async ({ target, look }) => {
    const known = state.numbers[target.phone]
    const prev = known ?? initialStatus(target.sid)
    const ctx: DecideContext = { phone: target.phone, sid: target.sid, pod: look.pod, now, failingAfter: config.failingAfter }
    const recorded = await record(kv, prev, look, ctx, known !== undefined, budget)
    if (!recorded) {
      // Left exactly as it was, so the next run sees the same change and records it then.
      deps.log({ msg: 'change deferred to the next run: KV operations of this run used up', level: 'warn', run: id, phone: target.phone })
      return { ...report(target, decideChange(prev, look.observation, ctx)), events: [], deferred: true }
    }
    const { decision, requeued } = recorded
    state.numbers[target.phone] = decision.status
    if (decision.status.kid !== prev.kid) keysChanged = true
    if (target.pod === 'auto' && look.pod && look.observation.kind !== 'error') state.pods[target.sid] = look.pod
    const fresh = [...requeued, ...decision.events]
    // The outbox keeps each number's events in the order they happened.
    enqueue(state.outbox, fresh, channels, now)
    events.push(...decision.events)
    logLook(deps, id, target, look, decision)
    return report(target, decision)
  })

  if (!options.phone) {
    const kept = new Set(watched.map((n) => n.phone))
    for (const phone of Object.keys(state.numbers)) {
      if (!kept.has(phone)) {
        delete state.numbers[phone]
        keysChanged = true
      }
    }
  }
  if (keysChanged) await rebuildJwks(state)
  if (deps.deliver) await deps.deliver(state, now, deps.fetch)
  // Pinged once the checks are done, so a monitor hears from every completed run.
  await pingHeartbeat(config, deps, state)

  const succeeded = reports.filter((r) => r.outcome !== 'error').length
  const deferred = reports.filter((r) => r.deferred).length
  // On the run's clock, so a test that moves time through scheduledTime sees consistent times.
  const finishedAt = new Date(now + (Date.now() - realStart)).toISOString()
  const summary: RunSummary = {
    id,
    trigger: options.trigger,
    cron: options.cron,
    started_at: new Date(now).toISOString(),
    finished_at: finishedAt,
    interval_ms: cronIntervalMs(options.cron ?? state.last_run?.cron),
    checked: reports.length,
    succeeded,
    failed: reports.length - succeeded,
    events: events.length,
    deferred,
    // The run record's own write is the one more that follows.
    cost: { ...cost, kv_writes: cost.kv_writes + 1 },
  }
  // A run for one number is not a run of the watch: /healthz keeps counting from the last full one.
  if (!options.phone) state.last_run = summary
  await writeState(kv, state)
  deps.log({ msg: 'check run finished', run: id, checked: summary.checked, succeeded, failed: summary.failed, events: events.length, ...cost })
  return { id, trigger: options.trigger, started_at: summary.started_at, finished_at: finishedAt, checked: summary.checked, succeeded, failed: summary.failed, deferred, numbers: reports, events, problems, cost: summary.cost }
}

/**
 * Writes the number's record when something changed: key and events in one put,
 * before the run record queues the events, so a crash in between re-sends rather than forgets.
 */
async function record(
  kv: KVNamespace,
  prev: NumberStatus,
  look: Look,
  ctx: DecideContext,
  known: boolean,
  budget: { left: number },
): Promise<{ decision: Decision; requeued: FlowkeyEvent[] } | null> {
  let decision = decideChange(prev, look.observation, ctx)
  if (decision.events.length === 0 && decision.change.kind === 'none') return { decision, requeued: [] }
  // Taken before the first await, so the six numbers in flight never overdraw it together.
  if (budget.left < 2) return null
  budget.left -= 2
  const existing = await readNumberFresh(kv, ctx.phone)
  let requeued: FlowkeyEvent[] = []
  if (existing && existing.event_seq > prev.event_seq) {
    // The record moved on without this status knowing: adopt it. When the status knew the
    // number (a run died between its two writes), queue what the record added since; a
    // number watched again after DELETE keeps its past to itself.
    requeued = known
      ? existing.history.filter((e) => e.seq > prev.event_seq && ctx.now - Date.parse(e.timestamp) < REQUEUE_WINDOW_MS).sort((a, b) => a.seq - b.seq)
      : []
    decision = decideChange(statusFromRecord(prev, existing), look.observation, ctx)
    if (decision.events.length === 0 && decision.change.kind === 'none') return { decision, requeued }
  }
  await writeNumber(kv, applyDecision(existing, decision, ctx))
  return { decision, requeued }
}

function report(target: WatchedNumber, decision: Decision): NumberReport {
  const { status } = decision
  return {
    phone: target.phone,
    sid: target.sid,
    pod: status.pod,
    outcome: status.outcome,
    kid: status.kid,
    signature_status: status.signature_status,
    consecutive_failures: status.consecutive_failures,
    error: status.error,
    events: decision.events.map((e) => e.type),
    deferred: false,
  }
}

function logLook(deps: RunDeps, run: string, target: WatchedNumber, look: Look, decision: Decision): void {
  const { observation } = look
  deps.log({
    msg: observation.kind === 'error' ? 'check failed' : 'checked',
    level: observation.kind === 'error' ? 'warn' : 'info',
    run,
    phone: target.phone,
    pod: look.pod,
    outcome: observation.kind,
    kid: decision.status.kid,
    error: observation.kind === 'error' ? observation.error : undefined,
    consecutive_failures: decision.status.consecutive_failures,
    events: decision.events.map((e) => e.type),
  })
}

/** A dead-man's switch: the monitor hears from every completed run, and notices when it stops. */
async function pingHeartbeat(config: Config, deps: RunDeps, state: StateRecord): Promise<void> {
  if (!config.heartbeatUrl) return
  const at = new Date(deps.now).toISOString()
  try {
    const response = await deps.fetch(config.heartbeatUrl, { method: 'GET', signal: AbortSignal.timeout(HEARTBEAT_TIMEOUT_MS), redirect: 'follow' })
    await response.body?.cancel()
    state.heartbeat = { at, ok: response.ok, error: response.ok ? null : `HEARTBEAT_URL answered ${response.status}` }
  } catch (err) {
    state.heartbeat = { at, ok: false, error: `HEARTBEAT_URL could not be reached (${err instanceof Error ? err.message : String(err)})` }
  }
  if (!state.heartbeat.ok) deps.log({ msg: 'heartbeat failed', level: 'warn', error: state.heartbeat.error })
}
