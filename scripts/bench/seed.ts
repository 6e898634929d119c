/** @module Real keys in KV for the serving runs: flowkey's own check of an emulated fleet writes them, nothing is hand-written. */
import type { KaleyraPod } from '../emulators/kaleyra-pod.js'
import { flowkeyBindings, runCheck } from './flowkey.js'
import { startWorkerd, type Workerd, type WorkerSpec } from './workerd.js'

const ACCOUNT = { sid: 'HXBENCHSERVE01IN', apiKey: 'bench-serve-key' }
const PREFIX = '+9190000'

export interface SeedInput {
  pod: KaleyraPod
  numbers: number
  flowkeyBundle: string
  compatibilityDate: string
  /** Where KV is kept, for the workerd that measures afterwards. */
  kvDir: string
  checkTimeoutMs: number
  /** Workers to run beside flowkey (the naive one), so their answers can be captured too. */
  beside?: WorkerSpec[]
  inspect?: boolean
}

export interface Seeded {
  phones: string[]
  /** flowkey as it was seeded: the same vars must serve the same records. */
  flowkey: WorkerSpec
  /** Still running, with the records in KV; the caller stops it. */
  workerd: Workerd
}

/** Registers `numbers` numbers (keys from the emulator's pool of 8), then runs one check through the ledger. */
export async function seedServing(input: SeedInput): Promise<Seeded> {
  const { pod } = input
  pod.state.putAccount(ACCOUNT.sid, ACCOUNT.apiKey)
  const phones = await pod.state.putFleet(ACCOUNT.sid, PREFIX, input.numbers)
  const flowkey: WorkerSpec = {
    name: 'flowkey',
    scriptPath: input.flowkeyBundle,
    compatibilityDate: input.compatibilityDate,
    bindings: flowkeyBindings(ACCOUNT, phones, pod.url),
    kv: true,
    ledger: true,
  }
  const workerd = await startWorkerd([flowkey, ...(input.beside ?? [])], { kvPersist: input.kvDir, inspect: input.inspect })
  try {
    await runCheck(workerd.url('flowkey'), input.checkTimeoutMs)
  } catch (err) {
    console.error(workerd.output())
    await workerd.stop()
    throw err
  }
  return { phones, flowkey, workerd }
}
