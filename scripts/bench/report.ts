/** @module Turns the measurements into table rows, with the targets of issue 4 beside them. */
import type { Bundle } from './build.js'
import { CONNECTIONS_PER_INVOCATION, type CheckRun, type CheckingResult } from './checking.js'
import type { ServingScenario } from './serving.js'
import { formatCount, formatKiB, formatMs, type Row } from './table.js'

export const MIN_THROUGHPUT_RATIO = 0.9
export const MAX_P99_RATIO = 1.25
export const MAX_CHECK_RATIO = 1.2
export const MAX_GZIP_BYTES = 100 * 1024
export const FREE_LIMIT_GZIP_BYTES = 3 * 1024 * 1024
export const PAID_LIMIT_GZIP_BYTES = 10 * 1024 * 1024
/** Workers KV: operations to external services per invocation (KV limits page; a bulk read counts once). */
export const KV_OPERATIONS_PER_INVOCATION = 1_000

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
    ...runRows(`first run, ${n} numbers, all new: wall time`, result, result.first),
    ...runRows(`second run, ${n} numbers, none changed: wall time`, result, result.second),
    {
      section: 'checking',
      measure: 'Kaleyra requests in flight, at most',
      figure: formatCount(result.maxInFlight),
      reference: `${CONNECTIONS_PER_INVOCATION} connections per invocation`,
      ratio: result.maxInFlight / CONNECTIONS_PER_INVOCATION,
      target: '<= 1.00',
      met: result.maxInFlight <= CONNECTIONS_PER_INVOCATION,
    },
  ]
}

function runRows(title: string, result: CheckingResult, run: CheckRun): Row[] {
  const expectedWrites = 1 + run.changed
  const kvOperations = run.cost.kv_reads + run.cost.kv_writes
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
    {
      section: 'checking',
      measure: '  KV writes',
      figure: formatCount(run.cost.kv_writes),
      reference: `1 + ${formatCount(run.changed)} changed`,
      ratio: run.cost.kv_writes / expectedWrites,
      target: '= 1.00',
      met: run.cost.kv_writes === expectedWrites,
    },
    { section: 'checking', measure: '  KV reads', figure: formatCount(run.cost.kv_reads), reference: '', ratio: null, target: '', met: null },
    {
      section: 'checking',
      measure: '  subrequests',
      figure: formatCount(run.cost.subrequests),
      reference: `${formatCount(result.numbers)} numbers`,
      ratio: run.cost.subrequests / result.numbers,
      target: '',
      met: null,
    },
    {
      section: 'checking',
      measure: '  KV operations (reads + writes)',
      figure: formatCount(kvOperations),
      reference: `${formatCount(KV_OPERATIONS_PER_INVOCATION)} per invocation (KV limit)`,
      ratio: kvOperations / KV_OPERATIONS_PER_INVOCATION,
      target: '<= 1.00',
      met: kvOperations <= KV_OPERATIONS_PER_INVOCATION,
    },
    {
      section: 'checking',
      measure: '  changes left for the next run (KV limit)',
      figure: formatCount(run.deferred),
      reference: '',
      ratio: null,
      target: '',
      met: null,
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
