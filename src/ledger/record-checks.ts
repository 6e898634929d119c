/** @module The ledger's decision step: what a batch of looks changed, recorded with its events in one transaction. */
import type { ErrorInfo } from '../errors'
import { sourceOfEvent, type FlowkeyEvent } from '../notify/events'
import type { ChannelName } from '../notify/outbox'
import type { NumberStatus } from '../store/records'
import { applyDecision, decideChange, initialStatus, type DecideContext } from '../watch/decide'
import type { Look } from '../watch/observe'
import { decideEndpoint, initialEndpointState, type ProbeResult } from '../probe'
import { readNumbers, writeNumber, type StoredEndpoint } from './number-records'
import { enqueueEvents } from './outbox-table'
import { rememberPod } from './pod-table'
import { appendMark, markOf } from './check-strip'

/** The channels a number's new events enter the outbox for (notify/routing.ts, decided by the ledger from labels and mutes). */
export type Route = (phone: string) => readonly ChannelName[]

/** One number's look, as a consumer (or an inline check) reports it. */
export interface Observed {
  phone: string
  /** The number's key source. */
  source: string
  sid: string
  /** The pod setting the number is watched with. */
  podSetting: string
  look: Look
  /** Run clock of the look (ms). */
  at: number
  /** The endpoint probe that followed a look which found a key, when the number has an endpoint. */
  probe?: ProbeResult | null
}

export interface NumberReport {
  phone: string
  source: string
  /** Kaleyra's SID; null for another source. */
  sid: string | null
  pod: string | null
  outcome: NumberStatus['outcome']
  kid: string | null
  signature_status: string | null
  consecutive_failures: number
  error: ErrorInfo | null
  events: string[]
  /** The probe's outcome when one ran. */
  endpoint: { url: string; outcome: ProbeResult['outcome']; http_status: number | null; latency_ms: number; inconclusive: boolean } | null
}

export interface Recorded {
  reports: NumberReport[]
  events: FlowkeyEvent[]
  /** A served key changed: the fleet JWKS needs building again. */
  keysChanged: boolean
  /** Number documents these checks changed (a key document, a history): the KV writes they cost, the fleet JWKS aside. */
  documents: number
}

/** Runs inside the caller's transaction: every number's status, key, history and outbox rows land together. */
export function recordChecks(sql: SqlStorage, observed: readonly Observed[], failingAfter: number, route: Route): Recorded {
  const stored = readNumbers(
    sql,
    observed.map((o) => o.phone),
  )
  const reports: NumberReport[] = []
  const events: FlowkeyEvent[] = []
  let keysChanged = false
  let documents = 0
  for (const seen of observed) {
    const before = stored.get(seen.phone)
    const prev = before?.status ?? initialStatus(seen.sid)
    const ctx: DecideContext = { phone: seen.phone, source: seen.source, sid: seen.sid, pod: seen.look.pod, now: seen.at, failingAfter }
    const keyDecision = decideChange(prev, seen.look.observation, ctx)
    const probed = seen.probe ? decideProbe(before?.endpoint ?? null, seen.probe, { ...ctx, failingAfter, seq: keyDecision.status.event_seq }) : null
    // The probe's events follow the key's in one sequence: a rotation and the mismatch it caused, in order.
    const decision = probed
      ? { ...keyDecision, status: { ...keyDecision.status, event_seq: probed.seq }, events: [...keyDecision.events, ...probed.events] }
      : keyDecision
    const record = applyDecision(before?.record ?? null, decision, ctx)
    const docChanged = !before || servedView(prev) !== servedView(decision.status)
    if (decision.status.kid !== prev.kid) keysChanged = true
    // Newest last, so history and the outbox keep the order they happened in.
    const fresh = [...decision.events].sort((a, b) => a.seq - b.seq)
    writeNumber(sql, decision.status, record, fresh, { docChanged }, probed?.state)
    documents += (docChanged ? 1 : 0) + (fresh.length > 0 ? 1 : 0)
    if (fresh.length > 0) enqueueEvents(sql, fresh, route(seen.phone), seen.at)
    appendMark(sql, seen.phone, markOf(decision.status, seen.probe), seen.at)
    if (seen.podSetting === 'auto' && seen.look.pod && seen.look.observation.kind !== 'error') rememberPod(sql, seen.sid, seen.look.pod)
    events.push(...fresh)
    reports.push(report(seen, decision.status, fresh))
    if (seen.probe) reports[reports.length - 1].endpoint = endpointReport(seen.probe)
  }
  return { reports, events, keysChanged, documents }
}

/** What the edge documents show of a status: a change here is a KV write, anything else is not. */
function servedView(status: NumberStatus): string {
  return JSON.stringify([status.outcome, status.kid, status.signature_status, status.pod])
}

function report(seen: Observed, status: NumberStatus, events: readonly FlowkeyEvent[]): NumberReport {
  return {
    phone: seen.phone,
    ...sourceOfEvent({ source: seen.source, sid: seen.sid, pod: status.pod }),
    outcome: status.outcome,
    kid: status.kid,
    signature_status: status.signature_status,
    consecutive_failures: status.consecutive_failures,
    error: status.error,
    events: events.map((e) => e.type),
    endpoint: null,
  }
}

function endpointReport(probe: ProbeResult): NonNullable<NumberReport['endpoint']> {
  return { url: probe.url, outcome: probe.outcome, http_status: probe.http_status, latency_ms: probe.latency_ms, inconclusive: probe.inconclusive }
}

/** The endpoint's episode: a new URL starts from scratch. */
export function decideProbe(
  prev: StoredEndpoint | null,
  probe: ProbeResult,
  ctx: { phone: string; source?: string; sid: string; pod: string | null; failingAfter: number; seq: number },
): { state: StoredEndpoint; events: FlowkeyEvent[]; seq: number } {
  const start = prev && prev.url === probe.url ? prev : initialEndpointState()
  const decided = decideEndpoint(start, probe, ctx)
  return { state: { ...decided.state, url: probe.url }, events: decided.events, seq: decided.seq }
}

/** POST /v1/numbers/{phone}/probe: a probe outside a run, recorded like one (events, episode state). */
export function recordProbe(
  sql: SqlStorage,
  phone: string,
  who: { sid: string; source: string },
  probe: ProbeResult,
  failingAfter: number,
  route: Route,
  at: number,
): FlowkeyEvent[] {
  const stored = readNumbers(sql, [phone]).get(phone)
  if (!stored) return []
  const probed = decideProbe(stored.endpoint, probe, { phone, ...who, pod: stored.status.pod, failingAfter, seq: stored.status.event_seq })
  const status = { ...stored.status, event_seq: probed.seq }
  const record = { ...stored.record, event_seq: probed.seq, updated_at: new Date(at).toISOString() }
  writeNumber(sql, status, record, probed.events, { docChanged: false }, probed.state)
  if (probed.events.length > 0) enqueueEvents(sql, probed.events, route(phone), at)
  return probed.events
}
