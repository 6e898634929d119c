/** @module How the Worker reaches the one Ledger object. */
import type { Env } from '../env'
import type { Ledger } from './ledger-object'

/** One object carries the fleet (BENCHMARKS.md measures 10,000 numbers); its name is fixed so every caller meets it. */
export const LEDGER_NAME = 'ledger'

export function ledgerOf(env: Pick<Env, 'LEDGER'>): DurableObjectStub<Ledger> {
  return env.LEDGER.get(env.LEDGER.idFromName(LEDGER_NAME))
}
