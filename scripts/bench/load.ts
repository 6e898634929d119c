/** @module Drives two targets with autocannon in alternating rounds (A, B, A, B, ...) and compares them. */
import autocannon from 'autocannon'
import { performance } from 'node:perf_hooks'

/** How often autocannon looks at its stop flag; its default (1 s) would stretch short rounds. */
const STOP_CHECK_MS = 20
const REQUEST_TIMEOUT_S = 10
/** A round that outlives its duration by this much is stopped by force. */
const ROUND_GRACE_MS = 5_000

export interface Target {
  url: string
  headers?: Record<string, string>
  /** Every answer must have this status, or the round (and the bench) fails. */
  status: number
  /** CPU time used so far by the server process (ns), to charge each round's CPU to its answers. */
  cpuNs?: () => number | null
}

export interface LoadShape {
  /** Connections of the throughput rounds, enough to keep the worker busy. */
  connections: number
  /** A/B pairs of throughput rounds. */
  pairs: number
  roundMs: number
  /** A/B pairs of latency rounds, on one connection. */
  latencyPairs: number
  latencyRoundMs: number
  warmupMs: number
  maxRequestsPerRound: number
}

export interface Round {
  requestsPerSecond: number
  /** Every answer's latency (ms), sorted. */
  latencies: Float64Array
  /** CPU the server used during the round (ns), or null when it cannot be read. */
  cpuNs: number | null
}

/** One side's figures. */
export interface Figures {
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  /** Server CPU per answer (µs) under load, or null when it cannot be read. */
  cpuUs: number | null
}

export interface Comparison {
  a: Figures
  b: Figures
  /** A over B. */
  ratio: Figures
}

/** One round: load for `durationMs` or until `maxRequestsPerRound` answers, whichever comes first. */
export async function runRound(target: Target, durationMs: number, connections: number, maxRequests: number): Promise<Round> {
  const latencies = new Float64Array(maxRequests)
  let count = 0
  let wrong = 0
  let wrongStatus = 0
  let first = 0
  let last = 0
  const cpuBefore = target.cpuNs?.() ?? null
  const instance = autocannon({
    url: target.url,
    headers: target.headers ?? {},
    connections,
    duration: durationMs / 1000,
    timeout: REQUEST_TIMEOUT_S,
    sampleInt: STOP_CHECK_MS,
  })
  // autocannon's own histogram keeps whole milliseconds; loopback answers take a fraction of one.
  instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    last = performance.now()
    if (count === 0) first = last
    if (statusCode !== target.status) {
      wrong++
      wrongStatus = statusCode
    }
    if (count < latencies.length) latencies[count++] = responseTimeMs
    if (count === latencies.length) instance.stop()
  })
  const guard = setTimeout(() => instance.stop(), durationMs + ROUND_GRACE_MS)
  const result = await instance
  clearTimeout(guard)
  const cpuAfter = target.cpuNs?.() ?? null
  if (wrong > 0) throw new Error(`${target.url}: ${wrong} answers were ${wrongStatus}, expected ${target.status}`)
  if (result.errors > 0 || result.timeouts > 0) throw new Error(`${target.url}: ${result.errors} connection errors, ${result.timeouts} time-outs`)
  if (count < 2) throw new Error(`${target.url}: fewer than two answers within ${durationMs} ms`)
  return {
    // From the first answer to the last: connection set-up and tear-down stay out of the rate.
    requestsPerSecond: (count - 1) / ((last - first) / 1000),
    latencies: latencies.slice(0, count).sort(),
    cpuNs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
  }
}

/**
 * Warms both sides, then alternates A and B: throughput rounds on `connections`
 * connections, then latency rounds on one. Under saturation latency is only queueing
 * (connections / throughput) plus whichever runtime pause the queue sat behind, so it is
 * measured unloaded, where it is the time one request takes.
 */
/** A round the machine stalled for its whole length (a loaded shared host) is run again, at most twice; anything else fails the bench. */
async function measuredRound(target: Target, durationMs: number, connections: number, max: number): Promise<Round> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runRound(target, durationMs, connections, max)
    } catch (err) {
      if (attempt >= 3 || !(err instanceof Error) || !err.message.includes('fewer than two answers')) throw err
      process.stderr.write(`bench: ${err.message}: the round is run again\n`)
    }
  }
}

export async function compare(a: Target, b: Target, shape: LoadShape): Promise<Comparison> {
  const { connections, maxRequestsPerRound: max } = shape
  const runRound = measuredRound
  await runRound(a, shape.warmupMs, connections, max)
  await runRound(b, shape.warmupMs, connections, max)
  const loadedA: Round[] = []
  const loadedB: Round[] = []
  for (let i = 0; i < shape.pairs; i++) {
    loadedA.push(await runRound(a, shape.roundMs, connections, max))
    loadedB.push(await runRound(b, shape.roundMs, connections, max))
  }
  const unloadedA: Round[] = []
  const unloadedB: Round[] = []
  for (let i = 0; i < shape.latencyPairs; i++) {
    unloadedA.push(await runRound(a, shape.latencyRoundMs, 1, max))
    unloadedB.push(await runRound(b, shape.latencyRoundMs, 1, max))
  }
  const sideA = figures(loadedA, unloadedA)
  const sideB = figures(loadedB, unloadedB)
  return {
    a: sideA,
    b: sideB,
    ratio: {
      // The machine drifts: each A is divided by the B measured right after it, and the median taken.
      requestsPerSecond: median(loadedA.map((ra, i) => ra.requestsPerSecond / (loadedB[i] as Round).requestsPerSecond)),
      p50Ms: sideA.p50Ms / sideB.p50Ms,
      p99Ms: sideA.p99Ms / sideB.p99Ms,
      cpuUs: sideA.cpuUs === null || sideB.cpuUs === null ? null : sideA.cpuUs / sideB.cpuUs,
    },
  }
}

/** The median loaded round's throughput; quantiles over every unloaded answer; CPU over every loaded answer. */
function figures(loaded: readonly Round[], unloaded: readonly Round[]): Figures {
  const latencies = concatSorted(unloaded.map((r) => r.latencies))
  const answers = loaded.reduce((n, r) => n + r.latencies.length, 0)
  const cpuKnown = loaded.every((r) => r.cpuNs !== null)
  const cpuNs = loaded.reduce((n, r) => n + (r.cpuNs ?? 0), 0)
  return {
    requestsPerSecond: median(loaded.map((r) => r.requestsPerSecond)),
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    cpuUs: cpuKnown && answers > 0 ? cpuNs / 1000 / answers : null,
  }
}

function concatSorted(parts: readonly Float64Array[]): Float64Array {
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const part of parts) {
    all.set(part, offset)
    offset += part.length
  }
  return all.sort()
}

/** Nearest-rank quantile of sorted values. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[index] as number
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}
