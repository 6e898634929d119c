/**
 * @module The fleet section: a BSP-sized watch list (numbers over many SIDs) through the bulk import, the
 * queue and the ledger; serving at that size, cold and warm; 200 concurrent operator writes; the ledger's size.
 */
import { performance } from 'node:perf_hooks'
import type { KaleyraPod } from '../emulators/kaleyra-pod.js'
import { capture, constantWorkerSource } from './baseline.js'
import { ADMIN_TOKEN, importNumbers, runCheck, status, type LedgerStats, type RunSummary } from './flowkey.js'
import { compare, median, quantile, type Comparison } from './load.js'
import type { BenchOptions } from './options.js'
import { benchFlood, type FloodPhase } from './flood.js'
import { timeViews, type ViewTimings } from './views.js'
import { startWorkerd, type WorkerSpec } from './workerd.js'

const API_KEY = 'bench-fleet-key'

export interface FleetResult {
  numbers: number
  sids: number
  latencyMs: number
  drainMs: number
  /** The drain's floor: every number's look-up at the emulator's latency, six at a time, one invocation at a time. */
  idealMs: number
  batches: number
  run: RunSummary
  kvPuts: number
  ledger: LedgerStats
  /** GET /v1/numbers/{phone}/key: the first request for a number in this isolate, and the next one. */
  coldMs: number
  warmMs: number
  warm: Comparison
  writes: { count: number; wallMs: number; p99Ms: number }
  /** GET /, /healthz, /v1/status?limit=100 and ?q= at this size. */
  views: ViewTimings
  /** Operator writes and a check run, quiet, under a flood of anonymous views, and under a flood of key requests. */
  flood: FloodPhase[]
}

export interface FleetInput {
  options: BenchOptions
  pod: KaleyraPod
  flowkeyBundle: string
  compatibilityDate: string
  kvDir: string
  log: (line: string) => void
}

export async function benchFleet(input: FleetInput): Promise<FleetResult> {
  const { options, pod, log } = input
  const sids = Array.from({ length: options.fleetSids }, (_, i) => `HXBENCHFLEET${String(i).padStart(3, '0')}`)
  const perSid = Math.ceil(options.fleetNumbers / sids.length)
  const numbers: { phone: string; sid: string; pod: string }[] = []
  for (const [i, sid] of sids.entries()) {
    pod.state.putAccount(sid, API_KEY)
    const phones = await pod.state.putFleet(sid, `+917${String(i).padStart(3, '0')}`, perSid)
    numbers.push(...phones.map((phone) => ({ phone, sid, pod: 'in' })))
    pod.state.setLatency(options.fleetLatencyMs, sid, null)
  }
  const flowkey: WorkerSpec = {
    name: 'flowkey',
    scriptPath: input.flowkeyBundle,
    compatibilityDate: input.compatibilityDate,
    // Numbers come through the bulk import, each with its SID; one API key serves every account here.
    bindings: { KALEYRA_API_KEY: API_KEY, KALEYRA_POD: 'in', KALEYRA_POD_URLS: JSON.stringify({ in: pod.url }), ADMIN_TOKEN },
    kv: true,
    ledger: true,
  }
  const seed = await startWorkerd([flowkey], { kvPersist: input.kvDir })
  const base = seed.url('flowkey')
  let drain: Awaited<ReturnType<typeof runCheck>>
  let writes: FleetResult['writes']
  let views: ViewTimings
  try {
    log(`fleet: importing ${numbers.length} numbers over ${sids.length} SIDs`)
    await importNumbers(base, numbers)
    log(`fleet: one run through the queue at ${options.fleetLatencyMs} ms per look-up`)
    drain = await runCheck(base, options.fleetTimeoutMs)
    if (drain.run.succeeded !== numbers.length) throw new Error(`The fleet run saw ${drain.run.succeeded} keys of ${numbers.length}`)
    writes = await concurrentWrites(base, options.fleetWrites)
    log(`fleet: the views at ${numbers.length} numbers, ${options.viewSamples} requests each`)
    views = await timeViews(
      base,
      numbers.map((n) => n.phone),
      options.viewSamples,
    )
  } catch (err) {
    log(seed.output())
    throw err
  } finally {
    await seed.stop()
  }

  // Serving at fleet size, in a fresh isolate over the same KV: cold (first request per number) and warm.
  const phone = numbers[0]?.phone ?? ''
  const path = `/v1/numbers/${encodeURIComponent(phone)}/key`
  const serve = await startWorkerd([flowkey], { kvPersist: input.kvDir })
  let coldMs: number
  let warmMs: number
  let answer: Awaited<ReturnType<typeof capture>>
  try {
    const sample = numbers.slice(0, options.fleetColdSamples).map((n) => `${serve.url('flowkey')}/v1/numbers/${encodeURIComponent(n.phone)}/key`)
    const cold: number[] = []
    const warm: number[] = []
    for (const url of sample) cold.push(...(await timeRequests(url, 1)))
    for (const url of sample) warm.push(...(await timeRequests(url, 1)))
    coldMs = median(cold)
    warmMs = median(warm)
    answer = await capture(`${serve.url('flowkey')}${path}`)
  } finally {
    await serve.stop()
  }
  const measure = await startWorkerd([flowkey, { name: 'baseline', script: constantWorkerSource(answer), compatibilityDate: input.compatibilityDate }], {
    kvPersist: input.kvDir,
  })
  let warmComparison: Comparison
  try {
    log(`fleet: warm serving of ${path} against its same-answer baseline`)
    warmComparison = await compare(
      { url: `${measure.url('flowkey')}${path}`, status: 200, cpuNs: measure.cpuNs },
      { url: `${measure.url('baseline')}${path}`, status: 200, cpuNs: measure.cpuNs },
      options,
    )
  } finally {
    await measure.stop()
  }
  // Last, since it leaves a run half done: a second run under way, and the watcher's work measured under floods.
  const flooded = await startWorkerd([flowkey], { kvPersist: input.kvDir })
  let flood: FloodPhase[]
  try {
    const floodBase = flooded.url('flowkey')
    const answer = await fetch(`${floodBase}/v1/check`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    await answer.arrayBuffer()
    if (answer.status !== 202) throw new Error(`POST /v1/check answered ${answer.status}`)
    log(`fleet: ${options.floodLoops} anonymous loops against operator writes and a check run: quiet, views, keys (${options.floodPhaseMs} ms each)`)
    const first = numbers[0] as { phone: string; sid: string }
    flood = await benchFlood({
      base: floodBase,
      pod,
      phone: first.phone,
      sid: first.sid,
      keyPath: path,
      loops: options.floodLoops,
      phaseMs: options.floodPhaseMs,
    })
  } catch (err) {
    log(flooded.output())
    throw err
  } finally {
    await flooded.stop()
  }
  return {
    numbers: numbers.length,
    sids: sids.length,
    latencyMs: options.fleetLatencyMs,
    drainMs: drain.wallMs,
    idealMs: (numbers.length * options.fleetLatencyMs) / 6,
    batches: drain.run.batches,
    run: drain.run,
    kvPuts: drain.kvPuts,
    ledger: drain.ledger,
    coldMs,
    warmMs,
    warm: warmComparison,
    writes,
    views,
    flood,
  }
}

/** `count` PUTs at once, each a new number: all answered, all watched afterwards. */
async function concurrentWrites(base: string, count: number): Promise<FleetResult['writes']> {
  const before = (await (await fetch(`${base}/v1/numbers?limit=1`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { total: number }
  const started = performance.now()
  const latencies = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const t = performance.now()
      const response = await fetch(`${base}/v1/numbers/${encodeURIComponent(`+9160000${String(i).padStart(5, '0')}`)}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sid: 'HXBENCHWRITES01', pod: 'in' }),
      })
      await response.arrayBuffer()
      if (response.status !== 201) throw new Error(`PUT answered ${response.status}`)
      return performance.now() - t
    }),
  )
  const wallMs = performance.now() - started
  const after = (await (await fetch(`${base}/v1/numbers?limit=1`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { total: number }
  if (after.total !== before.total + count) throw new Error(`${count} PUTs answered 201, but the watch list grew by ${after.total - before.total}`)
  return {
    count,
    wallMs,
    p99Ms: quantile(
      latencies.sort((a, b) => a - b),
      0.99,
    ),
  }
}

async function timeRequests(url: string, times: number): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < times; i++) {
    const t = performance.now()
    const response = await fetch(url)
    await response.arrayBuffer()
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`)
    out.push(performance.now() - t)
  }
  return out
}

export { status }
