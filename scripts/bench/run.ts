/** @module `npm run bench`: builds the bundle, measures serving, checking (Kaleyra alone and mixed sources) and size on this machine, and prints one table of ratios; `--only mixed` runs one section. */
import { mkdir, readFile, rm } from 'node:fs/promises'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startKaleyraPod } from '../emulators/kaleyra-pod.js'
import { buildFlowkey, buildStandalone, compatibilityDate } from './build.js'
import { benchChecking } from './checking.js'
import { exitOnSignals, onExit, runExitTasks } from './cleanup.js'
import { parseOptions } from './options.js'
import { benchFleet } from './fleet.js'
import { benchMixed } from './mixed.js'
import { benchProbeCpu, benchProbeRuns } from './probing.js'
import { checkingRows, fleetRows, mixedRows, probeRows, servingRows, sizeRows } from './report.js'
import { floodRows, keyScalingRow, pileUpRows, viewRows } from './report-views.js'
import { benchServing } from './serving.js'
import { renderTable } from './table.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

const log = (line: string): void => {
  process.stderr.write(`bench: ${line}\n`)
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env)
  exitOnSignals()
  const started = Date.now()
  // Per process, so a smoke test and a full run never share files; removed on the way out.
  const outdir = join(ROOT, 'bench', 'out', `${options.mode}-${process.pid}`)
  await mkdir(outdir, { recursive: true })
  onExit(() => rm(outdir, { recursive: true, force: true }))

  log(`${options.mode} run: building the bundles with wrangler`)
  const date = await compatibilityDate(ROOT)
  const [flowkey, naive] = await Promise.all([
    buildFlowkey(ROOT, join(outdir, 'flowkey')),
    buildStandalone(ROOT, outdir, 'naive', 'scripts/bench/naive-worker.ts', date),
  ])
  const pod = await startKaleyraPod()
  onExit(() => pod.close())

  if (options.only === 'mixed') {
    const mixed = await benchMixed({ options, pod, flowkeyBundle: flowkey.entry, compatibilityDate: date, log })
    const seconds = Math.round((Date.now() - started) / 1000)
    process.stdout.write(`\n${await machineLine(`${options.mode}, only mixed`, seconds)}\n\n${renderTable(mixedRows(mixed))}`)
    return
  }

  const serving = await benchServing({
    options,
    pod,
    flowkeyBundle: flowkey.entry,
    naiveBundle: naive.entry,
    compatibilityDate: date,
    kvDir: join(outdir, 'kv'),
    log,
  })
  const checking = await benchChecking({ options, pod, flowkeyBundle: flowkey.entry, compatibilityDate: date, log })
  const mixed = await benchMixed({ options, pod, flowkeyBundle: flowkey.entry, compatibilityDate: date, log })
  const fleet = await benchFleet({ options, pod, flowkeyBundle: flowkey.entry, compatibilityDate: date, kvDir: join(outdir, 'fleet-kv'), log })
  const probeRuns = await benchProbeRuns({
    pod,
    flowkeyBundle: flowkey.entry,
    compatibilityDate: date,
    numbers: options.probeNumbers,
    latencyMs: options.checkLatencyMs,
    timeoutMs: options.checkTimeoutMs * 3,
    log,
  })
  const probeCpu = await benchProbeCpu({ root: ROOT, outdir, compatibilityDate: date, probes: options.probeCpuSamples, log })

  const rows = [
    ...servingRows(serving.scenarios, options.connections),
    ...checkingRows(checking),
    ...pileUpRows(checking.pileUp),
    ...mixedRows(mixed),
    ...fleetRows(fleet),
    ...keyScalingRow(
      serving.scenarios.find((s) => s.name === 'GET /v1/numbers/{phone}/key'),
      options.servingNumbers,
      { numbers: fleet.numbers, ratio: fleet.warm.ratio.requestsPerSecond },
    ),
    ...viewRows(serving.views, fleet.views),
    ...floodRows(fleet.flood),
    ...probeRows(probeRuns, probeCpu),
    ...sizeRows(flowkey),
  ]
  const seconds = Math.round((Date.now() - started) / 1000)
  process.stdout.write(`\n${await machineLine(options.mode, seconds)}\n\n${renderTable(rows)}`)
  if (options.mode === 'smoke') process.stdout.write('\nSmoke run: durations and counts are tiny, so the figures mean nothing; run `npm run bench`.\n')
}

async function machineLine(mode: string, seconds: number): Promise<string> {
  const version = async (pkg: string): Promise<string> =>
    (JSON.parse(await readFile(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version
  const cpu = cpus()
  return (
    `flowkey bench (${mode}, ${seconds} s): ${cpu.length} CPUs (${cpu[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ` +
    `workerd ${await version('workerd')} via Miniflare ${await version('miniflare')}, autocannon ${await version('autocannon')}`
  )
}

main().then(runExitTasks, async (err: unknown) => {
  console.error(`bench: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
  await runExitTasks()
  process.exitCode = 1
})
