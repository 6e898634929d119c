/** @module The ledger's decision step: what a batch of looks changed, recorded with its events in one transaction. */
import type { ErrorInfo } from '../errors'
import type { FlowkeyEvent } from '../notify/events'
import type { ChannelName } from '../notify/outbox'
import type { NumberStatus } from '../store/records'
import { applyDecision, decideChange, initialStatus, type DecideContext } from '../watch/decide'
import type { Look } from '../watch/observe'
import { readNumbers, writeNumber } from './number-records'
import { enqueueEvents } from './outbox-table'
import { rememberPod } from './pod-table'

/** One number's look, as a consumer (or an inline check) reports it. */
export interface Observed {
  phone: string
  sid: string
  /** The pod setting the number is watched with. */
  podSetting: string
  look: Look
  /** Run clock of the look (ms). */
  at: number
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
}

export interface Recorded {
  reports: NumberReport[]
  events: FlowkeyEvent[]
  /** A served key changed: the fleet JWKS needs building again. */
  keysChanged: boolean
}

/** Runs inside the caller's transaction: every number's status, key, history and outbox rows land together. */
export function recordChecks(sql: SqlStorage, observed: readonly Observed[], failingAfter: number, channels: readonly ChannelName[]): Recorded {
  const stored = readNumbers(sql, observed.map((o) => o.phone))
  const reports: NumberReport[] = []
  const events: FlowkeyEvent[] = []
  let keysChanged = false
  for (const seen of observed) {
    const before = stored.get(seen.phone)
    const prev = before?.status ?? initialStatus(seen.sid)
    const ctx: DecideContext = { phone: seen.phone, sid: seen.sid, pod: seen.look.pod, now: seen.at, failingAfter }
    const decision = decideChange(prev, seen.look.observation, ctx)
    const record = applyDecision(before?.record ?? null, decision, ctx)
    const docChanged = !before || servedView(prev) !== servedView(decision.status)
    if (decision.status.kid !== prev.kid) keysChanged = true
    // Newest last, so history and the outbox keep the order they happened in.
    const fresh = [...decision.events].sort((a, b) => a.seq - b.seq)
    writeNumber(sql, decision.status, record, fresh, { docChanged })
    enqueueEvents(sql, fresh, channels, seen.at)
    if (seen.podSetting === 'auto' && seen.look.pod && seen.look.observation.kind !== 'error') rememberPod(sql, seen.sid, seen.look.pod)
    events.push(...fresh)
    reports.push(report(seen, decision.status, fresh))
  }
  return { reports, events, keysChanged }
}

/** What the edge documents show of a status: a change here is a KV write, anything else is not. */
function servedView(status: NumberStatus): string {
  return JSON.stringify([status.outcome, status.kid, status.signature_status, status.pod])
}

function report(seen: Observed, status: NumberStatus, events: readonly FlowkeyEvent[]): NumberReport {
  return {
    phone: seen.phone,
    sid: seen.sid,
    pod: status.pod,
    outcome: status.outcome,
    kid: status.kid,
    signature_status: status.signature_status,
    consecutive_failures: status.consecutive_failures,
    error: status.error,
    events: events.map((e) => e.type),
  }
}
