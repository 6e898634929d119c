/**
 * @module Keys served across the upgrade from 0.1: the first key route of an isolate that finds no document asks the
 * ledger to finish importing 0.1's records and publish them, then reads again. Once per isolate, never per request.
 */
import type { Env } from '../env'
import { settingsOf } from '../ledger/settings'
import { ledgerOf } from '../ledger/stub'
import { forgetCached } from '../store/cache'

const pending = new WeakMap<object, Promise<void>>()
const settled = new WeakSet<object>()

/**
 * True when this call waited for the ledger (the caller reads its document again); false once the isolate
 * knows the ledger holds and has published everything 0.1 left, so a later miss costs nothing more.
 */
export async function settleUpgrade(env: Env): Promise<boolean> {
  if (settled.has(env.LEDGER)) return false
  let running = pending.get(env.LEDGER)
  if (!running) {
    running = ledgerOf(env)
      .settleUpgrade(settingsOf(env))
      .then(() => {
        settled.add(env.LEDGER)
        forgetCached(env.KEYS)
      })
      // A failed call is asked again by the next miss.
      .finally(() => pending.delete(env.LEDGER))
    pending.set(env.LEDGER, running)
  }
  await running
  return true
}
