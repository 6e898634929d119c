/** @module Turns the measurements into table rows, with the targets of issue 4 beside them. */
import type { Bundle } from './build.js'
import { CONNECTIONS_PER_INVOCATION, type CheckRun, type CheckingResult } from './checking.js'
import type { FleetResult } from './fleet.js'
import type { LedgerStats, RunSummary } from './flowkey.js'
import { MIXED_SOURCES, type MixedResult } from './mixed.js'
import type { ProbeCpuResult, ProbeRunsResult } from './probing.js'
import type { ServingScenario } from './serving.js'
import { formatCount, formatKiB, formatMs, type Row } from './table.js'

export const MIN_THROUGHPUT_RATIO = 0.9
export const MAX_P99_RATIO = 1.25
export const MAX_CHECK_RATIO = 1.2
/** Our bundle target, and CI's limit: `npm run size`, the bundle-size test and the bench's size row all read it. */
export const MAX_GZIP_BYTES = 100 * 1024
export const FREE_LIMIT_GZIP_BYTES = 3 * 1024 * 1024
export const PAID_LIMIT_GZIP_BYTES = 10 * 1024 * 1024
/** Workers KV: operations to external services per invocation (KV limits page; a bulk read counts once). */
export const KV_OPERATIONS_PER_INVOCATION = 1_000
/** Workers Free: subrequests per invocation (Workers limits page). */
export const FREE_SUBREQUESTS = 50

export function servingRows(scenarios: readonly ServingScenario[], connections: number): Row[] {
  return scenarios.flatMap((s) => {
    const { ratio, a, b } = s.comparison
    const base = 'baseline'
    const size = s.status === 304 ? '304, no body' : `${formatCount(s.bodyBytes)} B`
    return [
      {
        section: 'serving',
        measure: `${s.name} [${size}]: req/s, ${connections} connections`,
        figure: formatCount(a.requestsPerSecond),
        reference: `${formatCount(b.requestsPerSecond)} ${base}`,
        ratio: ratio.requestsPerSecond,
        target: s.targeted ? `>= ${MIN_THROUGHPUT_RATIO.toFixed(2)}` : '',
        met: s.targeted ? ratio.requestsPerSecond >= MIN_THROUGHPUT_RATIO : null,
      },
      {
        section: 'serving',
        measure: '  p50 latency, 1 connection',
        figure: formatMs(a.p50Ms),
        reference: `${formatMs(b.p50Ms)} ${base}`,
        ratio: ratio.p50Ms,
        target: '',
        met: null,
      },
      {
        section: 'serving',
        measure: '  p99 latency, 1 connection',
        figure: formatMs(a.p99Ms),
        reference: `${formatMs(b.p99Ms)} ${base}`,
        ratio: ratio.p99Ms,
        target: s.targeted ? `<= ${MAX_P99_RATIO.toFixed(2)}` : '',
        met: s.targeted ? ratio.p99Ms <= MAX_P99_RATIO : null,
      },
      {
        section: 'serving',
        measure: `  workerd CPU per request, ${connections} connections`,
        figure: a.cpuUs === null ? 'n/a' : `${a.cpuUs.toFixed(0)} µs`,
        reference: b.cpuUs === null ? '' : `${b.cpuUs.toFixed(0)} µs ${base}`,
        ratio: ratio.cpuUs,
        target: '',
        met: null,
      },
    ]
  })
}

export function checkingRows(result: CheckingResult): Row[] {
  const n = formatCount(result.numbers)
  return [
    ...runRows(`first run, ${n} numbers, all new: wall time to the last KV write`, result, result.first),
    ...runRows(`second run, ${n} numbers, none changed: wall time`, result, result.second),
    {
      section: 'checking',
      measure: 'Kaleyra requests in flight, at most (all invocations)',
      figure: formatCount(result.maxInFlight),
      reference: `${CONNECTIONS_PER_INVOCATION} connections per invocation`,
      ratio: result.maxInFlight / CONNECTIONS_PER_INVOCATION,
      target: '',
      met: null,
    },
  ]
}

/** The mixed-source run: time against the ideal, and the same per-invocation budgets as a Kaleyra-only run. */
export function mixedRows(result: MixedResult): Row[] {
  const split = MIXED_SOURCES.map((source, i) => `${formatCount(result.perSource[i] ?? 0)} ${source}`).join(', ')
  return [
    {
      section: 'mixed',
      measure: `run of ${formatCount(result.numbers)} numbers on four sources (${split}), one bulk import, ${formatCount(result.run.batches)} queue messages: wall time`,
      figure: formatMs(result.wallMs),
      reference: `ideal ${formatMs(result.idealMs)} (${formatCount(result.numbers)} x ${result.latencyMs} ms / ${CONNECTIONS_PER_INVOCATION})`,
      ratio: result.wallMs / result.idealMs,
      target: `<= ${MAX_CHECK_RATIO.toFixed(2)}`,
      met: result.wallMs / result.idealMs <= MAX_CHECK_RATIO,
    },
    ...costRows('mixed', result.run, result.kvPuts, result.ledger),
  ]
}

function runRows(title: string, result: CheckingResult, run: CheckRun): Row[] {
  return [
    {
      section: 'checking',
      measure: title,
      figure: formatMs(run.wallMs),
      reference: `ideal ${formatMs(run.idealMs)} (${formatCount(result.numbers)} x ${result.latencyMs} ms / ${CONNECTIONS_PER_INVOCATION})`,
      ratio: run.wallMs / run.idealMs,
      target: `<= ${MAX_CHECK_RATIO.toFixed(2)}`,
      met: run.wallMs / run.idealMs <= MAX_CHECK_RATIO,
    },
    ...costRows('checking', run.run, run.kvPuts, run.ledger),
  ]
}

/** What a run cost, from the ledger's records: KV writes against the documents it changed, and its costliest invocation. */
export function costRows(section: string, run: RunSummary, kvPuts: number, ledger: LedgerStats): Row[] {
  return [
    {
      section,
      measure: '  KV writes (the publisher counted)',
      figure: formatCount(kvPuts),
      reference: `${formatCount(run.kv_writes)} documents changed`,
      ratio: run.kv_writes === 0 ? null : kvPuts / run.kv_writes,
      target: '= 1.00',
      met: kvPuts === run.kv_writes,
    },
    {
      section,
      measure: '  subrequests, costliest consumer invocation',
      figure: formatCount(run.max_subrequests ?? 0),
      reference: `${FREE_SUBREQUESTS} (Workers Free limit)`,
      ratio: (run.max_subrequests ?? 0) / FREE_SUBREQUESTS,
      target: '<= 1.00',
      met: (run.max_subrequests ?? 0) <= FREE_SUBREQUESTS,
    },
    {
      section,
      measure: '  connections open at once, most in one invocation',
      figure: formatCount(run.max_in_flight ?? 0),
      reference: `${CONNECTIONS_PER_INVOCATION} per invocation`,
      ratio: (run.max_in_flight ?? 0) / CONNECTIONS_PER_INVOCATION,
      target: '<= 1.00',
      met: (run.max_in_flight ?? 0) <= CONNECTIONS_PER_INVOCATION,
    },
    {
      section,
      measure: '  KV writes per ledger invocation, at most',
      figure: formatCount(ledger.max_puts_per_publish),
      reference: `${formatCount(KV_OPERATIONS_PER_INVOCATION)} (KV limit)`,
      ratio: ledger.max_puts_per_publish / KV_OPERATIONS_PER_INVOCATION,
      target: '<= 1.00',
      met: ledger.max_puts_per_publish <= KV_OPERATIONS_PER_INVOCATION,
    },
  ]
}

export function sizeRows(bundle: Bundle): Row[] {
  const gzip = formatKiB(bundle.gzipBytes)
  return [
    { section: 'size', measure: 'bundle, raw', figure: formatKiB(bundle.rawBytes), reference: '', ratio: null, target: '', met: null },
    {
      section: 'size',
      measure: 'bundle, gzip (as wrangler counts it)',
      figure: gzip,
      reference: `${formatKiB(MAX_GZIP_BYTES)} (our target)`,
      ratio: bundle.gzipBytes / MAX_GZIP_BYTES,
      target: '< 1.00',
      met: bundle.gzipBytes < MAX_GZIP_BYTES,
    },
    {
      section: 'size',
      measure: '  against the Workers Free limit',
      figure: gzip,
      reference: formatKiB(FREE_LIMIT_GZIP_BYTES),
      ratio: bundle.gzipBytes / FREE_LIMIT_GZIP_BYTES,
      target: '< 1.00',
      met: bundle.gzipBytes < FREE_LIMIT_GZIP_BYTES,
    },
    {
      section: 'size',
      measure: '  against the Workers Paid limit',
      figure: gzip,
      reference: formatKiB(PAID_LIMIT_GZIP_BYTES),
      ratio: bundle.gzipBytes / PAID_LIMIT_GZIP_BYTES,
      target: '< 1.00',
      met: bundle.gzipBytes < PAID_LIMIT_GZIP_BYTES,
    },
  ]
}

/** Issue 7's fleet targets. */
export const MAX_COLD_TO_WARM = 2
export const MAX_PROBE_RUN_RATIO = 2.2

export function fleetRows(fleet: FleetResult): Row[] {
  const n = formatCount(fleet.numbers)
  return [
    {
      section: 'fleet',
      measure: `${n} numbers over ${fleet.sids} SIDs at ${fleet.latencyMs} ms: one run, queue drained, every key published`,
      figure: formatMs(fleet.drainMs),
      reference: `floor ${formatMs(fleet.idealMs)} (${n} x ${fleet.latencyMs} ms / 6, one invocation at a time)`,
      ratio: fleet.drainMs / fleet.idealMs,
      target: '',
      met: null,
    },
    {
      section: 'fleet',
      measure: '  numbers with a key after the run',
      figure: formatCount(fleet.run.succeeded),
      reference: `${n} watched, ${formatCount(fleet.batches)} queue batches`,
      ratio: fleet.run.succeeded / fleet.numbers,
      target: '= 1.00',
      met: fleet.run.succeeded === fleet.numbers,
    },
    ...costRows('fleet', fleet.run, fleet.kvPuts, fleet.ledger),
    {
      section: 'fleet',
      measure: `GET /v1/numbers/{phone}/key at ${n} numbers: first request (isolate cache cold), median`,
      figure: formatMs(fleet.coldMs),
      reference: `${formatMs(fleet.warmMs)} warm, same numbers`,
      ratio: fleet.coldMs / fleet.warmMs,
      target: `<= ${MAX_COLD_TO_WARM.toFixed(2)}`,
      met: fleet.coldMs / fleet.warmMs <= MAX_COLD_TO_WARM,
    },
    {
      section: 'fleet',
      measure: `  warm req/s`,
      figure: formatCount(fleet.warm.a.requestsPerSecond),
      reference: `${formatCount(fleet.warm.b.requestsPerSecond)} baseline`,
      ratio: fleet.warm.ratio.requestsPerSecond,
      target: `>= ${MIN_THROUGHPUT_RATIO.toFixed(2)}`,
      met: fleet.warm.ratio.requestsPerSecond >= MIN_THROUGHPUT_RATIO,
    },
    {
      section: 'fleet',
      measure: `${fleet.writes.count} concurrent PUT /v1/numbers/{phone}: all watched, p99`,
      figure: formatMs(fleet.writes.p99Ms),
      reference: `${formatCount((fleet.writes.count * 1000) / fleet.writes.wallMs)} writes/s`,
      ratio: null,
      target: '',
      met: null,
    },
    {
      section: 'fleet',
      measure: 'ledger storage per number (SQLite)',
      figure: `${formatCount(Math.round(fleet.ledger.database_bytes / (fleet.numbers + fleet.writes.count)))} B`,
      reference: `${formatKiB(fleet.ledger.database_bytes)} in all`,
      ratio: null,
      target: '',
      met: null,
    },
  ]
}

export function probeRows(runs: ProbeRunsResult, cpu: ProbeCpuResult): Row[] {
  const ratio = runs.withMs / runs.withoutMs
  return [
    {
      section: 'probe',
      measure: `run of ${formatCount(runs.numbers)} numbers, every endpoint probed (${runs.latencyMs} ms each way)`,
      figure: formatMs(runs.withMs),
      reference: `${formatMs(runs.withoutMs)} without endpoints`,
      ratio,
      target: `<= ${MAX_PROBE_RUN_RATIO.toFixed(2)}`,
      met: ratio <= MAX_PROBE_RUN_RATIO,
    },
    ...costRows('probe', runs.withRun, 0, { database_bytes: 0, kv_puts_total: 0, max_puts_per_publish: 0, unpublished: 0 }).slice(1, 3),
    {
      section: 'probe',
      measure: 'workerd CPU per probe',
      figure: `${cpu.cpuUsPerProbe} µs`,
      reference: `${cpu.cpuUsPerPost} µs per bare POST`,
      ratio: cpu.cpuUsPerProbe / cpu.cpuUsPerPost,
      target: '',
      met: null,
    },
  ]
}
