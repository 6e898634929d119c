/** @module One CHECKS message: measure the pods it was asked to, look up each number (six at a time), report to the ledger once. */
import { appSecretFor, type Config } from '../config'
import type { PublicJwk } from '../keys/pem'
import { endpointRefusal, probeEndpoint, type ProbeResult } from '../probe'
import type { Pod } from '../sources/kaleyra/pods'
import type { PodMeasurement } from '../ledger/pod-table'
import { rank } from '../ledger/pod-table'
import type { Observed } from '../ledger/record-checks'
import type { BatchNumber, CheckMessage } from '../ledger/run-table'
import { sourceFieldsOf } from '../ledger/source-columns'
import { autoCandidates, lookUpKey } from './observe'
import { MAX_IN_FLIGHT, mapWithLimit } from './pool'
import { measurePods } from './pod-ranking'
import { startRunBounds, type RunBounds } from './run-bounds'

export interface CheckIo {
  fetch: typeof fetch
  /** The run's clock (ms) for what is recorded. */
  now: () => number
  /** Wall clock, for round trips. */
  clock: () => number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** Real time one batch may spend asking Kaleyra (watch/run-deadline.ts); short in tests. */
  runDeadlineMs?: number
}

export interface CheckedBatch {
  observed: Observed[]
  measured: Record<string, PodMeasurement[]>
}

export async function checkBatch(config: Config, message: Pick<CheckMessage, 'numbers' | 'pods'>, io: CheckIo): Promise<CheckedBatch> {
  const measured: Record<string, PodMeasurement[]> = {}
  const orders = new Map<string, Pod[]>()
  for (const [sid, plan] of Object.entries(message.pods)) {
    orders.set(sid, plan.order)
    // The same bodiless Get for one of the batch's numbers, on each pod.
    const first = message.numbers.find((n) => n.sid === sid)
    if (!plan.measure || !first) continue
    measured[sid] = await measurePods(config, sid, first.phone, autoCandidates(config), io)
    const ranked = rank(measured[sid])
    // Measured pods first; the rest keep the ledger's order, so a pod measured as down is still asked last.
    orders.set(sid, [...ranked, ...plan.order.filter((pod) => !ranked.includes(pod))])
  }
  // Per batch: a pod that stops answering costs a few time-outs, and the batch ends well inside the consumer's limit.
  const bounds = startRunBounds(io.runDeadlineMs)
  const observed = await mapWithLimit(message.numbers, MAX_IN_FLIGHT, (n) => lookUp(config, n, orders.get(n.sid) ?? null, io, bounds))
  return { observed, measured }
}

/** One number: its key from Kaleyra, then, when it has an endpoint and the look found a key, the probe with that key. */
export async function lookUp(config: Config, n: BatchNumber, order: Pod[] | null, io: CheckIo, bounds?: RunBounds): Promise<Observed> {
  const fields = sourceFieldsOf(n)
  const look = await lookUpKey(
    config,
    { phone: n.phone, sid: n.sid, pod: n.pod, order, ...fields },
    { fetch: io.fetch, sleep: io.sleep, random: io.random, ...bounds },
  )
  const seen: Observed = { phone: n.phone, sid: n.sid, source: fields.source, podSetting: n.pod, look, at: io.now() }
  if (n.endpoint_url && look.observation.kind === 'key') seen.probe = await probe(config, n.endpoint_url, n.sid, look.observation.key.jwk, io)
  return seen
}

export async function probe(config: Config, url: string, sid: string, key: PublicJwk, io: Pick<CheckIo, 'fetch' | 'clock'>): Promise<ProbeResult> {
  const rules = { allowPrivate: config.allowPrivateEndpoints, ownOrigin: null }
  const result = await probeEndpoint(
    { url, key, appSecret: appSecretFor(config, sid) },
    { fetch: io.fetch, now: io.clock, timeoutMs: config.probeTimeoutMs, refuse: (u) => endpointRefusal(u, rules) },
  )
  // What the probe saw is kept and shown: no configured secret goes with it.
  return result.detail === null ? result : { ...result, detail: config.redact(result.detail) }
}
