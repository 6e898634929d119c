/** @module Stops serving a number that is no longer watched, at once rather than at the next run; its history stays. */
import { readStateFresh, rebuildJwks, writeState } from '../store/state'
import { serialize } from './lock'

export function forgetNumber(kv: KVNamespace, phone: string): Promise<void> {
  return serialize(async () => {
    const state = await readStateFresh(kv)
    if (!state.numbers[phone]) return
    delete state.numbers[phone]
    await rebuildJwks(state)
    await writeState(kv, state)
  })
}
