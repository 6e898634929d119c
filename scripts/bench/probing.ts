/** @module CPU per endpoint probe inside workerd: probes against the Flow endpoint emulator, minus the same number of bare POSTs, from workerd's own CPU counters. */
import { createPublicKey } from 'node:crypto'
import { join } from 'node:path'
import { generateEndpointKey, startFlowEndpoint } from '../emulators/flow-endpoint.js'
import { buildStandalone } from './build.js'
import type { KaleyraPod } from '../emulators/kaleyra-pod.js'
import { ADMIN_TOKEN, importNumbers, runCheck, type RunSummary } from './flowkey.js'
import { startWorkerd } from './workerd.js'

/** Subrequests per invocation stay well under the Workers limit. */
const PER_REQUEST = 25

export interface ProbeCpuInput {
  root: string
  outdir: string
  compatibilityDate: string
  /** Probes measured (after a warm-up of one batch). */
  probes: number
  log: (line: string) => void
}

export interface ProbeCpuResult {
  probes: number
  /** workerd CPU per probe, request handling and the round trip included (µs). */
  cpuUsPerProbe: number
  /** workerd CPU per bare POST to the same endpoint (µs): the part that is not the probe's cryptography. */
  cpuUsPerPost: number
}

export async function benchProbeCpu(input: ProbeCpuInput): Promise<ProbeCpuResult> {
  const bundle = await buildStandalone(input.root, input.outdir, 'probe-worker', 'scripts/bench/probe-worker.ts', input.compatibilityDate)
  const endpoint = await startFlowEndpoint()
  const pair = generateEndpointKey()
  endpoint.put('/bench/probe', { privateKey: pair.privateKey })
  const jwk = createPublicKey(pair.publicKey).export({ format: 'jwk' })
  const workerd = await startWorkerd([{ name: 'probe', scriptPath: bundle.entry, compatibilityDate: input.compatibilityDate }], { kvPersist: false })
  try {
    const run = async (mode: 'probe' | 'post', count: number): Promise<number | null> => {
      const before = workerd.cpuNs()
      for (let done = 0; done < count; done += PER_REQUEST) {
        const n = Math.min(PER_REQUEST, count - done)
        const res = await fetch(workerd.url('probe'), { method: 'POST', body: JSON.stringify({ mode, url: `${endpoint.url}/bench/probe`, jwk, count: n }) })
        const { outcomes } = (await res.json()) as { outcomes: Record<string, number> }
        const expected = mode === 'probe' ? 'ok' : '400'
        if (outcomes[expected] !== n) throw new Error(`${mode}: expected ${n} × ${expected}, got ${JSON.stringify(outcomes)}`)
      }
      const after = workerd.cpuNs()
      return before === null || after === null ? null : after - before
    }
    await run('probe', PER_REQUEST)
    await run('post', PER_REQUEST)
    input.log(`probing: ${input.probes} probes and ${input.probes} bare POSTs in workerd`)
    const probeNs = await run('probe', input.probes)
    const postNs = await run('post', input.probes)
    if (probeNs === null || postNs === null) throw new Error('workerd CPU time is not readable here (/proc is Linux only)')
    return { probes: input.probes, cpuUsPerProbe: Math.round(probeNs / input.probes / 1000), cpuUsPerPost: Math.round(postNs / input.probes / 1000) }
  } finally {
    await workerd.stop()
    await endpoint.close()
  }
}

/** `tsx scripts/bench/probing.ts [probes]`: the figure alone, until `npm run bench` prints it in its table. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const root = join(import.meta.dirname, '..', '..')
  const outdir = join(root, 'bench', 'out', `probe-${process.pid}`)
  const { compatibilityDate } = await import('./build.js')
  const { rm } = await import('node:fs/promises')
  try {
    const result = await benchProbeCpu({
      root,
      outdir,
      compatibilityDate: await compatibilityDate(root),
      probes: Number(process.argv[2] ?? 500),
      log: (line) => process.stderr.write(`bench: ${line}\n`),
    })
    process.stdout.write(`${JSON.stringify(result)}\n`)
  } finally {
    await rm(outdir, { recursive: true, force: true })
  }
}

export interface ProbeRunsResult {
  numbers: number
  latencyMs: number
  /** A steady run (nothing changed) without endpoints, and the same with every number's endpoint probed. */
  withoutMs: number
  withMs: number
  withRun: RunSummary
}

/**
 * Issue 9's target: a run that probes every number's endpoint (two requests per number
 * instead of one, at the same latency) takes at most 2.2 times the run without.
 */
export async function benchProbeRuns(input: {
  pod: KaleyraPod
  flowkeyBundle: string
  compatibilityDate: string
  numbers: number
  latencyMs: number
  timeoutMs: number
  log: (line: string) => void
}): Promise<ProbeRunsResult> {
  const pairs = Array.from({ length: 8 }, () => generateEndpointKey())
  const endpoint = await startFlowEndpoint()
  pairs.forEach((pair, i) => endpoint.put(`/bench/k${i}`, { privateKey: pair.privateKey, latencyMs: input.latencyMs }))
  const sid = 'HXBENCHPROBE01IN'
  input.pod.state.putAccount(sid, 'bench-probe-key')
  const phones = await input.pod.state.putFleet(
    sid,
    '+9150000',
    input.numbers,
    'VALID',
    pairs.map((p) => p.publicKey),
  )
  input.pod.state.setLatency(input.latencyMs, sid, null)
  const workerd = await startWorkerd(
    [
      {
        name: 'flowkey',
        scriptPath: input.flowkeyBundle,
        compatibilityDate: input.compatibilityDate,
        bindings: {
          KALEYRA_API_KEY: 'bench-probe-key',
          KALEYRA_POD: 'in',
          KALEYRA_POD_URLS: JSON.stringify({ in: input.pod.url }),
          ADMIN_TOKEN,
          ALLOW_PRIVATE_ENDPOINTS: 'true',
        },
        kv: true,
        ledger: true,
      },
    ],
    { kvPersist: false },
  )
  try {
    const base = workerd.url('flowkey')
    const steady = async (label: string): Promise<Awaited<ReturnType<typeof runCheck>>> => {
      await runCheck(base, input.timeoutMs)
      input.log(`probing: ${label}, ${phones.length} numbers at ${input.latencyMs} ms`)
      return runCheck(base, input.timeoutMs)
    }
    await importNumbers(
      base,
      phones.map((phone) => ({ phone, sid, pod: 'in' })),
    )
    const without = await steady('a run without endpoints')
    await importNumbers(
      base,
      phones.map((phone, i) => ({ phone, sid, pod: 'in', endpoint_url: `${endpoint.url}/bench/k${i % pairs.length}` })),
    )
    const withEndpoints = await steady('the same run, every endpoint probed')
    const probes = endpoint.calls('/bench').length
    if (probes < 2 * phones.length) throw new Error(`The endpoints saw ${probes} probes over two runs of ${phones.length} numbers`)
    return { numbers: phones.length, latencyMs: input.latencyMs, withoutMs: without.wallMs, withMs: withEndpoints.wallMs, withRun: withEndpoints.run }
  } catch (err) {
    input.log(workerd.output())
    throw err
  } finally {
    await workerd.stop()
    await endpoint.close()
  }
}
