/** @module The run record (`state`): read fresh by check runs, through the isolate cache by readers. */
import { buildJwks } from '../keys/jwks'
import { readCached, remember } from './cache'
import { STATE_KEY } from './kv-keys'
import type { StateRecord } from './records'

const EMPTY_JWKS = { body: '{"keys":[]}', etag: '"0-empty"' }

export function emptyState(): StateRecord {
  return { v: 1, last_run: null, numbers: {}, jwks: EMPTY_JWKS, pods: {}, outbox: [], channels: {}, heartbeat: null }
}

/**
 * Unreadable state is started afresh rather than crashing every run: the number
 * records still hold every key, and the check adopts them as its baseline.
 */
export function parseState(text: string | null): StateRecord {
  if (!text) return emptyState()
  try {
    const value = JSON.parse(text) as Partial<StateRecord>
    if (value?.v !== 1) return emptyState()
    return { ...emptyState(), ...value }
  } catch {
    return emptyState()
  }
}

/** For readers (routes): the isolate cache, refreshed every few seconds. */
export function readState(kv: KVNamespace): Promise<StateRecord> {
  return readCached(kv, STATE_KEY, parseState)
}

/** For writers: straight from KV. */
export async function readStateFresh(kv: KVNamespace): Promise<StateRecord> {
  return parseState(await kv.get(STATE_KEY, 'text'))
}

export async function writeState(kv: KVNamespace, state: StateRecord): Promise<void> {
  await kv.put(STATE_KEY, JSON.stringify(state))
  remember(kv, STATE_KEY, state)
}

/** The fleet JWKS follows the current keys in the statuses. */
export async function rebuildJwks(state: StateRecord): Promise<void> {
  const keys = Object.values(state.numbers).flatMap((status) => (status.jwk ? [status.jwk] : []))
  state.jwks = await buildJwks(keys)
}
