/** @module The Ledger Durable Object: the single writer of flowkey's state. Each method is one serialized step. */
import { DurableObject } from 'cloudflare:workers'
import type { Config } from '../config'
import type { Env } from '../env'
import { platformIo, type Io } from '../io'
import { channelNames } from '../notify/channels'
import { withLabel } from '../labels/labels'
import { routeEvent } from '../notify/routing'
import type { FlowkeyEvent, HistoryEntry } from '../notify/events'
import { initialStatus } from '../watch/decide'
import { planBatches } from './plan-run'
import { deliverDue } from './deliveries'
import { attentionRules, fleetHealth, numberView, statusPage, type FleetHealth, type NumberView, type StatusPage } from './views'
import type { KeyRecord } from '../store/records'
import { readHistory, readNumber } from './number-records'
import { markDocDirty } from './number-records'
import { nextDueAt, queueOnWallClock } from './outbox-table'
import { pingHeartbeat } from './heartbeat'
import type { PodMeasurement } from './pod-table'
import { writeRanking } from './pod-table'
import { raiseMark, publishDocs, type PublishResult } from './publish'
import { ProbeFlights, type SharedProbe } from './probe-flights'
import { recordChecks, recordProbe, type Observed, type Recorded, type Route } from './record-checks'
import { endMute, startMute } from './mute'
import { readStrips, type CheckMark } from './check-strip'
import { deleteMute, mutedPhones, readMute, readMutes, type Mute } from './mute-table'
import type { PublicJwk } from '../keys/pem'
import type { ProbeResult } from '../probe'
import type { InvocationCost } from '../watch/invocation-cost'
import {
  RUN_HOLD_MS,
  batchState,
  createRun,
  finishBatch,
  numbersStillQueued,
  runUnderWaySince,
  type BatchState,
  type CheckMessage,
  type RunSummary,
} from './run-table'
import { createSchema, readMeta, writeMeta } from './schema'
import { missingCredentials } from './source-problems'
import type { CredentialProblem } from '../sources/credential-problems'
import { configOf, settingsOf, type Settings } from './settings'
import { upgradeStep } from './upgrade'
import { labelCounts, readCounts, writeIndex } from './fleet-index'
import { formatCursor, readPage } from './fleet-page'
import { pageRequest, type StatusQuery } from './fleet-query'
import { reindex, reindexEndedMutes, syncIndex, type FindWatched } from './fleet-sync'
import { WatchIndex, readWatchList, removeWatchEntry, writeWatchEntry, type WatchedNumber, type WatchEntry, type WriteOutcome } from './watch-list'

/** An alarm that fires within this of its time counts as on time. */
const ALARM_ON_TIME_MS = 60_000
/** Queue messages per sendBatch call (the platform's limit is 100)... */
const SEND_BATCH_LIMIT = 100
/** ...and bytes per call (the limit is 256 KB; a message of 40 numbers is about 4 KB). */
const SEND_BATCH_BYTES = 200_000

export interface PlannedRun {
  run_id: string
  batches: number
  numbers: number
  /** Watched numbers left out because their check from an earlier run was still queued. */
  skipped: number
  /** The watch list was too small to need the queue, or every number was still queued: nothing was sent. */
  complete: boolean
  /** Asked for inline and the plan is one message: not sent, the caller checks and reports it as a consumer would. */
  inline?: CheckMessage
}

export interface BatchReport extends Recorded {
  run: RunSummary | null
}

export interface ImportResult {
  added: number
  changed: number
  unchanged: number
}

export class Ledger extends DurableObject<Env> {
  private readonly sql: SqlStorage
  /** The latest caller's settings: the alarm has no caller, and uses them (or its own env). */
  private settings: Settings | null = null
  private sweeping: Promise<unknown> = Promise.resolve()
  private currentPublish: Promise<PublishResult> | null = null
  private nextPublish: Promise<PublishResult> | null = null
  private watchCache: { config: Config; index: WatchIndex } | null = null
  /** Time, the network and the log: the platform's, as the Worker's; a test may hand its own through runInDurableObject. */
  io: Io = platformIo
  private readonly probes = new ProbeFlights()

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    void ctx.blockConcurrencyWhile(async () => {
      createSchema(this.sql)
      await upgradeStep(this.sql, this.env.KEYS)
    })
  }

  /** The cron asks for a run: the watch list goes out in `CHECKS` messages of CHECK_BATCH_SIZE numbers. */
  async planRun(settings: Settings, trigger: 'cron' | 'manual', cron: string | null, now: number, inline = false): Promise<PlannedRun> {
    const config = this.use(settings)
    const { list } = this.watchList(config)
    const id = `run_${now.toString(36)}_${crypto.randomUUID().slice(0, 8)}`
    // A number whose check from an earlier run is still queued is not queued again: runs never pile up.
    const queued = numbersStillQueued(this.sql, now)
    const due = queued.size === 0 ? list : list.filter((n) => !queued.has(n.phone))
    const skipped = list.length - due.length
    const messages = planBatches(this.sql, config, due, id, now)
    this.ctx.storage.transactionSync(() => {
      if (cron) writeMeta(this.sql, 'cron', cron)
      // Not published now: an operator's number got its document at PUT, a WATCH_NUMBERS one is known from config.
      this.ensureRows(list, false)
      createRun(
        this.sql,
        id,
        trigger,
        cron,
        now,
        messages.map((m) => m.numbers),
        skipped,
      )
    })
    if (messages.length === 0) {
      finishEmptyRun(this.sql, id, now)
      await this.afterChange(now)
      return { run_id: id, batches: 0, numbers: 0, skipped, complete: true }
    }
    // One message's worth of subrequests fits the caller's own invocation, as it fits a consumer's.
    if (inline && messages.length === 1) return { run_id: id, batches: 1, numbers: due.length, skipped, complete: false, inline: messages[0] }
    for (const group of sendGroups(messages)) await this.env.CHECKS.sendBatch(group.map((body) => ({ body, contentType: 'json' as const })))
    return { run_id: id, batches: messages.length, numbers: due.length, skipped, complete: false }
  }

  /**
   * A consumer asks before checking: a batch already reported (a redelivery after a crash)
   * is not checked again. It gets the settings the run was planned with while this object
   * still holds them (memory only, never stored).
   */
  async claimBatch(runId: string, batch: number): Promise<{ state: BatchState; settings: Settings | null }> {
    return { state: batchState(this.sql, runId, batch), settings: this.settings }
  }

  /** A consumer's observations: decided, recorded with their events and key changes in one transaction. */
  async reportBatch(
    settings: Settings,
    message: Pick<CheckMessage, 'run_id' | 'batch'>,
    observed: Observed[],
    measured: Record<string, PodMeasurement[]>,
    now: number,
    cost: InvocationCost | null = null,
    readOwnWrite = false,
  ): Promise<BatchReport> {
    const config = this.use(settings)
    if (batchState(this.sql, message.run_id, message.batch) === 'reported') return { reports: [], events: [], keysChanged: false, documents: 0, run: null }
    const result = this.ctx.storage.transactionSync(() => {
      for (const [sid, pods] of Object.entries(measured)) writeRanking(this.sql, sid, pods, now)
      const recorded = this.record(config, observed, now)
      const run = finishBatch(this.sql, message.run_id, message.batch, 'reported', counts(recorded, observed.length), now, null, cost)
      return { ...recorded, run }
    })
    // A consumer does not wait for the edge documents: the alarm publishes them, coalesced across batches.
    // A request (POST /v1/check inline) does, so its caller reads its own write.
    if (readOwnWrite) await this.afterChange(now)
    else await this.scheduleAlarm(now)
    return result
  }

  /** A batch the queue gave up on: its numbers count as failed checks, so an outage is never silent. */
  async deadLetterBatch(settings: Settings, message: CheckMessage, error: string, now: number): Promise<void> {
    const config = this.use(settings)
    if (batchState(this.sql, message.run_id, message.batch) !== 'queued') return
    const observed: Observed[] = message.numbers.map((n) => ({
      phone: n.phone,
      source: n.source ?? 'kaleyra',
      sid: n.sid,
      podSetting: n.pod,
      at: now,
      look: {
        pod: null,
        observation: {
          kind: 'error',
          error: { code: 'check_dead_lettered', message: `The check of this number failed in every attempt of its queue batch: ${error}` },
        },
      },
    }))
    this.ctx.storage.transactionSync(() => {
      const recorded = this.record(config, observed, now)
      finishBatch(this.sql, message.run_id, message.batch, 'dead', counts(recorded, observed.length), now, error)
    })
    await this.afterChange(now)
  }

  /** POST /v1/check?phone=: the number's message as the planner would write it (pod order, measuring), outside any run; null when unwatched. */
  async planNumber(settings: Settings, phone: string, now: number): Promise<CheckMessage | null> {
    const config = this.use(settings)
    const found = this.watchList(config).byPhone.get(phone)
    return found ? (planBatches(this.sql, config, [found], 'single', now)[0] ?? null) : null
  }

  /** A check of one number (planNumber's message): recorded like a batch, but not a run of the watch, so /healthz keeps counting from the last full one. */
  async recordSingle(settings: Settings, observed: Observed[], measured: Record<string, PodMeasurement[]>, now: number): Promise<BatchReport> {
    const config = this.use(settings)
    const result = this.ctx.storage.transactionSync(() => {
      for (const [sid, pods] of Object.entries(measured)) writeRanking(this.sql, sid, pods, now)
      this.ensureRows(observed.map((o) => ({ phone: o.phone, sid: o.sid })))
      return { ...this.record(config, observed, now), run: null }
    })
    await this.afterChange(now)
    return result
  }

  /** What POST /v1/numbers/{phone}/probe needs: the number, its endpoint and its current key. */
  async probeTarget(settings: Settings, phone: string): Promise<{ number: WatchedNumber; key: PublicJwk | null } | null> {
    const found = this.watchList(this.use(settings)).byPhone.get(phone)
    if (!found) return null
    return { number: found, key: readNumber(this.sql, phone)?.status.jwk ?? null }
  }

  async recordProbe(settings: Settings, phone: string, who: { sid: string; source: string }, probe: ProbeResult, now: number): Promise<FlowkeyEvent[]> {
    const config = this.use(settings)
    const events = this.ctx.storage.transactionSync(() => {
      const recorded = recordProbe(this.sql, phone, who, probe, config.failingAfter, this.router(config), now)
      this.reindex(config, [phone], now)
      return recorded
    })
    this.probes.finish(phone, { result: probe, events: events.map((e) => e.type) })
    await this.afterChange(now)
    return events
  }

  /** POST …/probe: null when this caller leads the number's probe, else the outcome of the one in flight (probe-flights.ts). */
  async joinProbe(phone: string, now: number, waitMs: number): Promise<SharedProbe | null> {
    return this.probes.join(phone, now, waitMs)
  }

  /** A leader that failed before recording: its followers stop waiting. */
  async abandonProbe(phone: string): Promise<void> {
    this.probes.finish(phone, null)
  }

  /** PUT one number, or the bulk import: all entries land in one transaction or none do. */
  async putNumbers(settings: Settings, entries: WatchEntry[], now: number): Promise<ImportResult & { outcomes: WriteOutcome[] }> {
    const config = this.use(settings)
    const at = new Date(now).toISOString()
    const index = this.watchList(config)
    const written = this.ctx.storage.transactionSync(() => {
      let keysServed = false
      const done = entries.map((entry) => {
        const result = writeWatchEntry(this.sql, entry, index.byPhone.get(entry.phone), at)
        if (result.outcome !== 'unchanged') keysServed = this.touchNumber(entry.phone, entry.sid) || keysServed
        return result
      })
      // A number watched again brings its key back into the fleet JWKS; a new one has none yet.
      if (keysServed) raiseMark(this.sql, 'jwks')
      // The memory follows only once committed: the index reads this transaction's writes on top of it.
      const fresh = new Map(done.filter((w) => w.outcome !== 'unchanged').map((w) => [w.number.phone, w.number]))
      this.reindex(config, fresh.keys(), now, (p) => fresh.get(p) ?? index.byPhone.get(p))
      return done
    })
    // Committed: the memory follows.
    for (const { outcome, number } of written) if (outcome !== 'unchanged') index.set(number)
    const outcomes = written.map((w) => w.outcome)
    await this.afterChange(now)
    const count = (kind: WriteOutcome): number => outcomes.filter((o) => o === kind).length
    return { added: count('added'), changed: count('changed'), unchanged: count('unchanged'), outcomes }
  }

  /** Stops watching: the key routes answer unknown_number at once, the history stays. */
  async deleteNumber(settings: Settings, phone: string, now: number): Promise<boolean> {
    const config = this.use(settings)
    const found = this.watchList(config).byPhone.get(phone)
    if (!found) return false
    this.ctx.storage.transactionSync(() => {
      removeWatchEntry(this.sql, phone, config.watchNumbers.includes(phone), new Date(now).toISOString())
      // Its held deliveries must not wait for a mute nobody can end: they go with the usual schedule.
      deleteMute(this.sql, phone)
      markDocDirty(this.sql, phone)
      if (readNumber(this.sql, phone)?.status.kid) raiseMark(this.sql, 'jwks')
      writeIndex(this.sql, [{ phone, reasons: null, mutedUntil: null }])
    })
    this.watchList(config).delete(phone)
    await this.afterChange(now)
    return true
  }

  /** PUT /v1/numbers/{phone}/mute: null when the number is not watched. */
  async mute(settings: Settings, phone: string, until: number, reason: string, now: number): Promise<Mute | null> {
    const found = this.watchList(this.use(settings)).byPhone.get(phone)
    if (!found) return null
    const mute = this.ctx.storage.transactionSync(() => {
      this.ensureRows([found], false)
      const started = startMute(this.sql, phone, until, reason, now)
      this.reindex(this.use(settings), [phone], now)
      return started
    })
    await this.afterChange(now)
    return mute
  }

  /** DELETE /v1/numbers/{phone}/mute: false when the number is not watched; muted or not, the mute is over. */
  async unmute(settings: Settings, phone: string, now: number): Promise<boolean> {
    const config = this.use(settings)
    const found = this.watchList(config).byPhone.get(phone)
    if (!found) return false
    const channels = routeEvent(found.labels, channelNames(config))
    this.ctx.storage.transactionSync(() => {
      endMute(this.sql, phone, 'unmuted', channels, now)
      this.reindex(config, [phone], now)
    })
    await this.afterChange(now)
    // What the mute held is due now.
    await this.scheduleAlarm(now)
    return true
  }

  async watched(settings: Settings, phone: string): Promise<WatchedNumber | null> {
    return this.watchList(this.use(settings)).byPhone.get(phone) ?? null
  }

  /** `label`: only the numbers carrying it (`?label=`). */
  async listNumbers(
    settings: Settings,
    cursor: string,
    limit: number,
    label: string | null = null,
  ): Promise<{ numbers: WatchedNumber[]; total: number; next_cursor: string | null }> {
    return pageOf(withLabel(this.watchList(this.use(settings)).list, label), cursor, limit)
  }

  /** One page of the fleet, problems first, read through the fleet index: the cost is the page, not the fleet. */
  async status(settings: Settings, query: StatusQuery, now: number): Promise<StatusPage> {
    const config = this.use(settings)
    const watched = this.watchList(config)
    this.ctx.storage.transactionSync(() => reindexEndedMutes(this.sql, watched, config, now))
    const page = readPage(this.sql, pageRequest(query))
    const numbers = page.phones.flatMap((phone) => watched.byPhone.get(phone) ?? [])
    const total = query.label ? labelCounts(this.sql, query.label).numbers : readCounts(this.sql).numbers
    return statusPage(this.sql, config, { numbers, next_cursor: page.next ? formatCursor(page.next) : null }, total, now, query.label ?? null)
  }

  /** The status page's one ledger read: its header (the health below) and one page of numbers. */
  async overview(
    settings: Settings,
    query: StatusQuery,
    now: number,
  ): Promise<{ status: StatusPage; health: FleetHealth & { cron: string | null; problems: CredentialProblem[] } }> {
    return { status: await this.status(settings, query, now), health: await this.health(settings, now, query.label ?? null) }
  }

  /** The check strips of the numbers one page shows, oldest mark first. */
  async checkStrips(phones: string[]): Promise<Record<string, CheckMark[]>> {
    return Object.fromEntries(readStrips(this.sql, phones))
  }

  /** The fleet's kept counts, a few of its problems, channels and runs: a few rows, whatever the fleet's size; `label`: a customer's view, over its numbers only. */
  async health(settings: Settings, now: number, label: string | null = null): Promise<FleetHealth & { cron: string | null; problems: CredentialProblem[] }> {
    const config = this.use(settings)
    const watched = this.watchList(config)
    this.ctx.storage.transactionSync(() => reindexEndedMutes(this.sql, watched, config, now))
    // Secrets the watched numbers lack: worked out once per version of the watch list (source-problems.ts).
    return { ...fleetHealth(this.sql, config, now, label), cron: readMeta<string>(this.sql, 'cron'), problems: missingCredentials(config, watched.list) }
  }

  /** One number's page: its view while watched, its current and previous key, its history; null for a number never seen nor watched. */
  async numberDetail(
    settings: Settings,
    phone: string,
    now: number,
  ): Promise<{ number: NumberView | null; current: KeyRecord | null; previous: KeyRecord | null; events: HistoryEntry[]; checks: CheckMark[] } | null> {
    const config = this.use(settings)
    const watched = this.watchList(config).byPhone.get(phone) ?? null
    const stored = readNumber(this.sql, phone)
    if (!watched && !stored) return null
    return {
      number: watched ? numberView(watched, stored?.status, stored?.endpoint ?? null, attentionRules(config, now), readMute(this.sql, phone)) : null,
      checks: readStrips(this.sql, [phone]).get(phone) ?? [],
      current: stored?.record.current ?? null,
      previous: stored?.record.previous ?? null,
      events: stored ? readHistory(this.sql, phone) : [],
    }
  }

  /**
   * A key route found no document: a deployment upgraded from 0.1 may not have published its imported keys yet.
   * Finishes the import and publishes every document now, so the key is served from that very request.
   */
  async settleUpgrade(settings: Settings): Promise<void> {
    this.use(settings)
    while (!(await upgradeStep(this.sql, this.env.KEYS))) {
      // Each step reads a bounded page of 0.1's records; the loop ends when the listing does.
    }
    for (let i = 0; i < 100 && (await this.publish()).remaining > 0; i++) {
      // Each publish writes a bounded share of the documents.
    }
  }

  /** Whole events, for operator requests; null for a number never seen. */
  async history(phone: string): Promise<HistoryEntry[] | null> {
    const found = readNumber(this.sql, phone)
    return found ? readHistory(this.sql, phone) : null
  }

  /** Publishing left over, deliveries that fell due, the heartbeat of a completed run; then the next alarm. */
  async alarm(): Promise<void> {
    // The alarm runs on the time it was set for when it fires on time, so the schedule stays exact
    // (and a caller that drives the ledger's clock sees the same bookings); a late one, on the wall clock.
    const wall = this.io.clock()
    const setFor = readMeta<number>(this.sql, 'alarm_at')
    await this.sweep(setFor !== null && wall - setFor < ALARM_ON_TIME_MS && setFor <= wall ? setFor : wall)
  }

  /**
   * The alarm's work on the ledger's clock (`now`, ms), with the caller's settings when
   * there is a caller: also how a test moves through the retry schedule.
   */
  sweep(now: number, settings?: Settings): Promise<{ unpublished: number }> {
    // One sweep at a time: two interleaved at their sends would both send what was due.
    const run = this.sweeping.then(() => this.sweepNow(now, settings))
    this.sweeping = run.then(
      () => undefined,
      () => undefined,
    )
    return run
  }

  private async sweepNow(now: number, settings?: Settings): Promise<{ unpublished: number }> {
    const config = this.use(settings ?? this.settings ?? settingsOf(this.env))
    await upgradeStep(this.sql, this.env.KEYS)
    const published = await this.publish()
    // A run planned ahead of the wall clock holds nothing: its events were queued on the wall clock, before it.
    const since = runUnderWaySince(this.sql, now)
    const held = since !== null && since <= this.io.clock() ? since : null
    const more = await deliverDue(this.sql, config, this.io, now, held)
    await pingHeartbeat(this.sql, config, this.io.fetch, now)
    // Held events are due when their run completes (its report schedules the alarm) or stops holding them.
    await this.scheduleAlarm(published.remaining > 0 || more ? now : null, held === null ? null : held + RUN_HOLD_MS)
    return { unpublished: published.remaining }
  }

  private use(settings: Settings): Config {
    this.settings = settings
    const { config } = configOf(settings)
    if (this.watchCache && this.watchCache.config !== config) this.watchCache = null
    // A configuration the fleet index was not built for (a deploy, a first start) rebuilds it once; else one meta read.
    const watched = this.watchList(config)
    this.ctx.storage.transactionSync(() => syncIndex(this.sql, watched, config, Date.now()))
    return config
  }

  /** Re-decides these numbers' attention into the fleet index (inside the caller's transaction). */
  private reindex(config: Config, phones: Iterable<string>, now: number, find?: FindWatched): void {
    const watched = this.watchList(config)
    reindex(this.sql, find ?? ((phone) => watched.byPhone.get(phone)), config, phones, now)
  }

  private watchList(config: Config): WatchIndex {
    if (!this.watchCache) this.watchCache = { config, index: new WatchIndex(readWatchList(this.sql, config)) }
    return this.watchCache.index
  }

  /**
   * A mute that ran out ends at the first run after it: the check is recorded and routed
   * as unmuted, then the number's current problem is queued once.
   */
  private record(config: Config, observed: readonly Observed[], now: number): Recorded {
    const mutes = readMutes(
      this.sql,
      observed.map((o) => o.phone),
    )
    const held = [...mutes].filter(([, mute]) => mute.until_ms <= now).map(([phone]) => ({ phone, mute: deleteMute(this.sql, phone) }))
    const route = this.router(config)
    const recorded = recordChecks(this.sql, observed, config.failingAfter, route)
    for (const { phone, mute } of held) endMute(this.sql, phone, 'expired', route(phone), now, mute)
    if (recorded.keysChanged) raiseMark(this.sql, 'jwks')
    // The fleet's order and counts move in the same transaction as the checks that moved them.
    this.reindex(
      config,
      observed.map((o) => o.phone),
      now,
    )
    return recorded
  }

  /** Routing as events enter the outbox: the defaults, the number's labels' channels; nothing while it is muted (as of now: make it after ending mutes). */
  private router(config: Config): Route {
    const channels = channelNames(config)
    const { byPhone } = this.watchList(config)
    const muted = mutedPhones(this.sql)
    return (phone) => routeEvent(byPhone.get(phone)?.labels ?? [], channels, muted.has(phone))
  }

  /** Every watched number has a row, so its documents exist (no key yet) before its first check. */
  private ensureRows(numbers: readonly { phone: string; sid: string }[], publish = true): void {
    for (const n of numbers) {
      this.sql.exec(
        `INSERT OR IGNORE INTO numbers (phone, sid, status, event_seq, updated_at, doc_dirty, history_dirty) VALUES (?, ?, ?, 0, ?, ?, 0)`,
        n.phone,
        n.sid,
        JSON.stringify(initialStatus(n.sid)),
        new Date(0).toISOString(),
        publish ? 1 : 0,
      )
    }
  }

  /** Marks the number's document for publishing; true when it has a key to serve. */
  private touchNumber(phone: string, sid: string): boolean {
    this.ensureRows([{ phone, sid }])
    markDocDirty(this.sql, phone)
    return Boolean(readNumber(this.sql, phone)?.status.kid)
  }

  /** After a committed change: publish what the edge shows (the caller waits, so it reads its own write), then deliver on the alarm. */
  private async afterChange(now: number): Promise<number> {
    const published = await this.publish()
    await this.scheduleAlarm(published.remaining > 0 ? now : null)
    return published.written
  }

  /**
   * One publisher at a time, and at most one waiting: a caller that arrives while one writes
   * joins the next publish, which covers every change committed before it starts. Callers
   * chained one publish each made 200 concurrent PUTs at 10,000 numbers take seconds.
   */
  private publish(): Promise<PublishResult> {
    if (this.nextPublish) return this.nextPublish
    if (!this.currentPublish) return this.startPublish()
    this.nextPublish = this.currentPublish.then(
      () => this.startPublish(),
      () => this.startPublish(),
    )
    return this.nextPublish
  }

  private startPublish(): Promise<PublishResult> {
    this.nextPublish = null
    const config = this.use(this.settings ?? settingsOf(this.env))
    const { byPhone } = this.watchList(config)
    const run = publishDocs(this.sql, this.env.KEYS, (phone) => byPhone.has(phone))
    this.currentPublish = run
    const clear = (): void => {
      if (this.currentPublish === run) this.currentPublish = null
    }
    run.then(clear, clear)
    return run
  }

  /** `soonest` is on the caller's clock, which may run ahead of the wall's: the alarm never waits for it. */
  private async scheduleAlarm(soonest: number | null, notBefore: number | null = null): Promise<void> {
    const wall = this.io.clock()
    queueOnWallClock(this.sql, wall)
    const next = nextDueAt(this.sql)
    const due = next === null ? null : Math.max(next, notBefore ?? next)
    const heartbeat = this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM meta WHERE key = 'heartbeat_due' AND value = 'true'`).one().n > 0
    const candidates = [soonest === null ? null : Math.min(soonest, wall), due, heartbeat ? wall : null].filter((t): t is number => t !== null)
    if (candidates.length === 0) return
    const at = Math.min(...candidates)
    const current = await this.ctx.storage.getAlarm()
    if (current === null || current > at) {
      writeMeta(this.sql, 'alarm_at', at)
      await this.ctx.storage.setAlarm(at)
    }
  }
}

function counts(recorded: Recorded, checked: number): { checked: number; succeeded: number; events: number; documents: number; keysChanged: boolean } {
  return {
    checked,
    succeeded: recorded.reports.filter((r) => r.outcome !== 'error').length,
    events: recorded.events.length,
    documents: recorded.documents,
    keysChanged: recorded.keysChanged,
  }
}

/** Groups messages for sendBatch within its count and size limits. */
export function sendGroups(messages: readonly CheckMessage[]): CheckMessage[][] {
  const groups: CheckMessage[][] = []
  let group: CheckMessage[] = []
  let bytes = 0
  for (const message of messages) {
    const size = JSON.stringify(message).length
    if (group.length > 0 && (group.length >= SEND_BATCH_LIMIT || bytes + size > SEND_BATCH_BYTES)) {
      groups.push(group)
      group = []
      bytes = 0
    }
    group.push(message)
    bytes += size
  }
  if (group.length > 0) groups.push(group)
  return groups
}

function finishEmptyRun(sql: SqlStorage, id: string, now: number): void {
  sql.exec('UPDATE runs SET finished_at = ? WHERE id = ?', now, id)
}

function pageOf<T extends { phone: string }>(list: readonly T[], cursor: string, limit: number): { numbers: T[]; total: number; next_cursor: string | null } {
  const start = cursor ? list.findIndex((n) => n.phone > cursor) : 0
  const page = start < 0 ? [] : list.slice(start, start + limit)
  const last = page[page.length - 1]
  const more = last !== undefined && last.phone < list[list.length - 1].phone
  return { numbers: page, total: list.length, next_cursor: more ? last.phone : null }
}
