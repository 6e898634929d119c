/** @module Pure: from a number's last endpoint state and a probe's result, the new state and the `endpoint.*` events. */
import type { ErrorInfo } from '../errors'
import { NO_EVENT_FIELDS, eventId, sourceOfEvent, type EventData, type EventType, type FlowkeyEvent } from '../notify/events'
import type { ProbeOutcome, ProbeResult } from './outcome'

/** Which alert the current episode (the probes since the last `ok`) has sent. */
export type EndpointAlert = 'none' | 'key_mismatch' | 'failing'

/** What flowkey keeps per number about its endpoint, `v` for the ledger's schema. */
export interface EndpointState {
  v: 1
  /** The last probe's outcome; null before the first probe. */
  outcome: ProbeOutcome | null
  http_status: number | null
  latency_ms: number | null
  kid: string | null
  probed_at: string | null
  /** The last probe's 432 was unsigned: shown as inconclusive, never alerted. */
  inconclusive: boolean
  /** Conclusive failing probes in a row; an inconclusive one neither adds nor resets. */
  consecutive_failures: number
  alerted: EndpointAlert
}

export interface EndpointDecideContext {
  phone: string
  /** The number's key source; absent: Kaleyra. */
  source?: string
  sid: string
  pod: string | null
  /** `FAILING_AFTER`. */
  failingAfter: number
  /** The last event sequence number used for this number; events continue from it. */
  seq: number
}

export interface EndpointDecision {
  state: EndpointState
  events: FlowkeyEvent[]
  /** The last sequence number used (ctx.seq when no event). */
  seq: number
}

export function initialEndpointState(): EndpointState {
  return { v: 1, outcome: null, http_status: null, latency_ms: null, kid: null, probed_at: null, inconclusive: false, consecutive_failures: 0, alerted: 'none' }
}

/**
 * One probe, one step:
 * - `ok` ends the episode; `endpoint.restored` when it had alerted.
 * - `key_mismatch` alerts at once, once per episode (also after `endpoint.failing`:
 *   the endpoint answers again and the answer names the cause).
 * - Other failures (and a signed `432`) send `endpoint.failing` when `failingAfter`
 *   conclusive failures in a row are reached and nothing was alerted yet; after a
 *   `key_mismatch` alert the episode stays alerted until `ok`, so a number flapping
 *   between causes never floods the channel.
 * - An unsigned `432` is inconclusive: recorded, not counted, not alerted.
 */
export function decideEndpoint(prev: EndpointState, result: ProbeResult, ctx: EndpointDecideContext): EndpointDecision {
  const seen = {
    v: 1 as const,
    outcome: result.outcome,
    http_status: result.http_status,
    latency_ms: result.latency_ms,
    kid: result.kid,
    probed_at: result.probed_at,
    inconclusive: result.inconclusive,
  }
  let seq = ctx.seq
  const events: FlowkeyEvent[] = []
  const emit = (type: EventType): void => {
    seq += 1
    events.push(endpointEvent(type, result, { ...ctx, seq }))
  }

  if (result.outcome === 'ok') {
    if (prev.alerted !== 'none') emit('endpoint.restored')
    return { state: { ...seen, consecutive_failures: 0, alerted: 'none' }, events, seq }
  }
  if (result.inconclusive) {
    return { state: { ...seen, consecutive_failures: prev.consecutive_failures, alerted: prev.alerted }, events, seq }
  }
  const failures = prev.consecutive_failures + 1
  let alerted = prev.alerted
  if (result.outcome === 'key_mismatch') {
    if (alerted !== 'key_mismatch') {
      emit('endpoint.key_mismatch')
      alerted = 'key_mismatch'
    }
  } else if (alerted === 'none' && failures >= ctx.failingAfter) {
    emit('endpoint.failing')
    alerted = 'failing'
  }
  return { state: { ...seen, consecutive_failures: failures, alerted }, events, seq }
}

/** An `endpoint.*` event from the probe that caused it; its `error` holds the probe's detail for the failing kinds. */
export function endpointEvent(type: EventType, result: ProbeResult, ctx: Omit<EndpointDecideContext, 'failingAfter'>): FlowkeyEvent {
  const error: ErrorInfo | null =
    result.outcome === 'ok' || type === 'endpoint.restored' ? null : { code: `endpoint_${result.outcome}`, message: result.detail ?? result.advice }
  const data: EventData = {
    ...NO_EVENT_FIELDS,
    phone: ctx.phone,
    ...sourceOfEvent(ctx),
    kid: result.kid,
    error,
    endpoint: { url: result.url, outcome: result.outcome, http_status: result.http_status },
  }
  return { id: eventId(ctx.phone, ctx.seq, type, result.kid), seq: ctx.seq, type, timestamp: result.probed_at, data }
}
