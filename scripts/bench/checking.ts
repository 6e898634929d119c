/** @module Checking: two check runs over a fleet on the emulator with a fixed latency, timed and costed from the run record. */
import type { KaleyraPod } from '../emulators/kaleyra-pod.js'
import { changedNumbers, checkNow, flowkeyBindings, type RunCost } from './flowkey.js'
import type { BenchOptions } from './options.js'
import { startWorkerd } from './workerd.js'

const ACCOUNT = { sid: 'HXBENCHCHECK01IN', apiKey: 'bench-check-key' }
const PREFIX = '+9180000'
/** Workers allow six simultaneous open connections per invocation. */
export const CONNECTIONS_PER_INVOCATION = 6

const MAX_CATCH_UP_RUNS = 5

export interface CheckRun {
  wallMs: number
  idealMs: number
  changed: number
  deferred: number
  cost: RunCost
}

export interface CheckingResult {
  numbers: number
  latencyMs: number
  first: CheckRun
  second: CheckRun
  /** Most Kaleyra requests the emulator saw at once, over both runs. */
  maxInFlight: number
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
  // A fresh KV: the first run sees every number for the first time.
  const workerd = await startWorkerd([{
    name: 'flowkey',
    scriptPath: input.flowkeyBundle,
    compatibilityDate: input.compatibilityDate,
    bindings: flowkeyBindings(ACCOUNT, phones, pod.url),
    kv: true,
  }], { kvPersist: false })
  try {
    const runs: CheckRun[] = []
    for (const label of ['first run (all new)', 'second run (nothing changed)']) {
      // What the first run left past its KV operations is recorded by unmeasured runs in between.
      for (let catchUp = 1; runs.length === 1 && (runs[0]?.deferred ?? 0) > 0 && catchUp <= MAX_CATCH_UP_RUNS; catchUp++) {
        const { answer } = await checkNow(workerd.url('flowkey'), options.checkTimeoutMs)
        log(`checking: catch-up run ${catchUp}: ${changedNumbers(answer)} recorded, ${answer.deferred ?? 0} still deferred`)
        if (!answer.deferred) break
      }
      log(`checking: ${label}, ${phones.length} numbers at ${options.checkLatencyMs} ms each (ideal ${Math.round(idealMs)} ms)`)
      const { answer, wallMs, recordedCost } = await checkNow(workerd.url('flowkey'), options.checkTimeoutMs)
      if (answer.checked !== phones.length) throw new Error(`The run checked ${answer.checked} numbers, expected ${phones.length}`)
      if (!sameCost(recordedCost, answer.cost)) {
        throw new Error(`The run answered cost ${JSON.stringify(answer.cost)} but recorded ${JSON.stringify(recordedCost)}`)
      }
      runs.push({ wallMs, idealMs, changed: changedNumbers(answer), deferred: answer.deferred ?? 0, cost: answer.cost })
    }
    return {
      numbers: phones.length,
      latencyMs: options.checkLatencyMs,
      first: runs[0] as CheckRun,
      second: runs[1] as CheckRun,
      maxInFlight: pod.state.requestLog(ACCOUNT.sid, null).maxInFlight,
    }
  } catch (err) {
    log(workerd.output())
    throw err
  } finally {
    await workerd.stop()
  }
}

function sameCost(a: RunCost, b: RunCost): boolean {
  return a.kv_reads === b.kv_reads && a.kv_writes === b.kv_writes && a.subrequests === b.subrequests
}
