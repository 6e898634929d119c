/** @module Checking: two check runs over a fleet on the emulator with a fixed latency, through the ledger and the queue, timed and costed from the ledger's own records. */
import type { KaleyraPod } from '../emulators/kaleyra-pod.js'
import { flowkeyBindings, runCheck, type LedgerStats, type RunSummary } from './flowkey.js'
import type { BenchOptions } from './options.js'
import { benchPileUp, type PileUpResult } from './pile-up.js'
import { startWorkerd } from './workerd.js'

const ACCOUNT = { sid: 'HXBENCHCHECK01IN', apiKey: 'bench-check-key' }
const PREFIX = '+9180000'
/** Workers allow six simultaneous open connections per invocation. */
export const CONNECTIONS_PER_INVOCATION = 6

export interface CheckRun {
  wallMs: number
  idealMs: number
  run: RunSummary
  /** KV puts the ledger's publisher counted for the run. */
  kvPuts: number
  ledger: LedgerStats
}

export interface CheckingResult {
  numbers: number
  latencyMs: number
  first: CheckRun
  second: CheckRun
  /** Most Kaleyra requests the emulator saw at once, over both runs (all invocations together). */
  maxInFlight: number
  /** A one-minute cron whose firings come while the run before still drains. */
  pileUp: PileUpResult
}

export interface CheckingInput {
  options: BenchOptions
  pod: KaleyraPod
  flowkeyBundle: string
  compatibilityDate: string
  log: (line: string) => void
}

export async function benchChecking(input: CheckingInput): Promise<CheckingResult> {
  const { options, pod, log } = input
  pod.state.putAccount(ACCOUNT.sid, ACCOUNT.apiKey)
  const phones = await pod.state.putFleet(ACCOUNT.sid, PREFIX, options.checkNumbers)
  pod.state.setLatency(options.checkLatencyMs, ACCOUNT.sid, null)
  pod.state.clearRequests(ACCOUNT.sid)
  const idealMs = (phones.length * options.checkLatencyMs) / CONNECTIONS_PER_INVOCATION
  // A fresh ledger and KV: the first run sees every number for the first time.
  const workerd = await startWorkerd(
    [
      {
        name: 'flowkey',
        scriptPath: input.flowkeyBundle,
        compatibilityDate: input.compatibilityDate,
        bindings: flowkeyBindings(ACCOUNT, phones, pod.url),
        kv: true,
        ledger: true,
      },
    ],
    { kvPersist: false },
  )
  try {
    const runs: CheckRun[] = []
    for (const label of ['first run (all new)', 'second run (nothing changed)']) {
      log(`checking: ${label}, ${phones.length} numbers at ${options.checkLatencyMs} ms each (ideal ${Math.round(idealMs)} ms)`)
      const { run, wallMs, kvPuts, ledger } = await runCheck(workerd.url('flowkey'), options.checkTimeoutMs)
      if (run.checked !== phones.length) throw new Error(`The run checked ${run.checked} numbers, expected ${phones.length}`)
      runs.push({ wallMs, idealMs, run, kvPuts, ledger })
    }
    const maxInFlight = pod.state.requestLog(ACCOUNT.sid, null).maxInFlight
    log(`checking: a one-minute cron fired ${options.pileUpFirings} times, every ${options.pileUpEveryMs} ms, over the same ${phones.length} numbers`)
    const pileUp = await benchPileUp({
      workerd,
      base: workerd.url('flowkey'),
      pod,
      sid: ACCOUNT.sid,
      firings: options.pileUpFirings,
      everyMs: options.pileUpEveryMs,
    })
    return { numbers: phones.length, latencyMs: options.checkLatencyMs, first: runs[0] as CheckRun, second: runs[1] as CheckRun, maxInFlight, pileUp }
  } catch (err) {
    log(workerd.output())
    throw err
  } finally {
    await workerd.stop()
  }
}
