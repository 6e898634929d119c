/** @module How big and how long each part of the bench is: the full run, and a smoke run that only proves the script still works. */

export interface BenchOptions {
  mode: 'full' | 'smoke'
  /** `--only mixed`: that section alone (and the bundle it runs). */
  only: BenchSection | null
  /** Watched numbers behind `/.well-known/jwks.json`. */
  servingNumbers: number
  /** A/B pairs of throughput rounds per serving scenario; the ratio reported is the median over pairs. */
  pairs: number
  roundMs: number
  /** A/B pairs of one-connection latency rounds per serving scenario. */
  latencyPairs: number
  latencyRoundMs: number
  /** Unmeasured load on each side before a scenario's pairs: JIT, isolate cache, connections. */
  warmupMs: number
  connections: number
  /** Load stops early when a round has this many answers: every round is bounded in time and in count. */
  maxRequestsPerRound: number
  checkNumbers: number
  checkLatencyMs: number
  /** A check run that takes longer than this is abandoned and the bench fails. */
  checkTimeoutMs: number
  /** Firings of a one-minute cron over the checking fleet, this far apart (less than a run takes, so they overlap). */
  pileUpFirings: number
  pileUpEveryMs: number
  /** CHECK_BATCH_SIZE of the mixed-source run: small in the smoke run, so its dozen numbers still go through the queue. */
  mixedBatchSize: number
  /** Sequential requests per view (GET /, /healthz, /v1/status, ?q=) at each fleet size; the median is shown. */
  viewSamples: number
  /** The flood: concurrent anonymous loops, and how long each phase lasts. */
  floodLoops: number
  floodPhaseMs: number
  /** The fleet section (issue 7): numbers, SIDs, the emulator's latency, and how long its drain may take. */
  fleetNumbers: number
  fleetSids: number
  fleetLatencyMs: number
  fleetTimeoutMs: number
  /** Numbers whose first (cold) and second (warm) key request are timed. */
  fleetColdSamples: number
  /** Concurrent operator writes. */
  fleetWrites: number
  /** The probe section (issue 9): numbers checked with and without endpoints, and probes whose CPU is measured. */
  probeNumbers: number
  probeCpuSamples: number
}

const FULL: BenchOptions = {
  mode: 'full',
  only: null,
  servingNumbers: 100,
  pairs: 12,
  roundMs: 1_000,
  latencyPairs: 12,
  latencyRoundMs: 500,
  warmupMs: 1_000,
  connections: 10,
  maxRequestsPerRound: 200_000,
  checkNumbers: 1_000,
  checkLatencyMs: 100,
  checkTimeoutMs: 120_000,
  pileUpFirings: 5,
  pileUpEveryMs: 10_000,
  mixedBatchSize: 40,
  viewSamples: 30,
  floodLoops: 40,
  floodPhaseMs: 10_000,
  fleetNumbers: 10_000,
  fleetSids: 50,
  fleetLatencyMs: 100,
  fleetTimeoutMs: 900_000,
  fleetColdSamples: 200,
  fleetWrites: 200,
  probeNumbers: 1_000,
  probeCpuSamples: 500,
}

const SMOKE: BenchOptions = {
  mode: 'smoke',
  only: null,
  servingNumbers: 5,
  pairs: 1,
  roundMs: 200,
  latencyPairs: 1,
  latencyRoundMs: 100,
  warmupMs: 100,
  connections: 2,
  maxRequestsPerRound: 50_000,
  checkNumbers: 12,
  checkLatencyMs: 20,
  checkTimeoutMs: 20_000,
  pileUpFirings: 2,
  pileUpEveryMs: 300,
  mixedBatchSize: 4,
  viewSamples: 3,
  floodLoops: 4,
  floodPhaseMs: 500,
  fleetNumbers: 100,
  fleetSids: 5,
  fleetLatencyMs: 5,
  fleetTimeoutMs: 30_000,
  fleetColdSamples: 10,
  fleetWrites: 20,
  probeNumbers: 20,
  probeCpuSamples: 25,
}

/** Sections `--only` can pick. */
export const BENCH_SECTIONS = ['mixed'] as const
export type BenchSection = (typeof BENCH_SECTIONS)[number]

/** `--smoke` or `BENCH_SMOKE=1` selects the smoke run; `--only <section>` runs one section (`npm run bench -- --only mixed`). */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  let only: BenchSection | null = null
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--smoke') continue
    const section = arg === '--only' ? argv[++i] : undefined
    if (section !== undefined && (BENCH_SECTIONS as readonly string[]).includes(section)) {
      only = section as BenchSection
      continue
    }
    throw new TypeError(
      `Unknown argument ${arg ?? ''}${section === undefined ? '' : ` ${section}`}: the options are --smoke (or BENCH_SMOKE=1) and --only ${BENCH_SECTIONS.join('|')}`,
    )
  }
  const smoke = argv.includes('--smoke') || (env['BENCH_SMOKE'] ?? '') === '1'
  return { ...(smoke ? SMOKE : FULL), only }
}
