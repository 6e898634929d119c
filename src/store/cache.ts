/** @module Isolate memory in front of KV: a warm read is a Map lookup, refreshed every few seconds. */

/** How long an isolate trusts what it read; part of the rotation bound stated in the README. */
export const ISOLATE_CACHE_TTL_MS = 5_000
/** KV's own edge cache for reads (its minimum is 30 s). */
export const KV_CACHE_TTL_S = 30

/** A request in an entry's last second refreshes it in the background: steady traffic never waits on KV. */
export const REFRESH_AHEAD_MS = 1_000

interface Entry {
  value: unknown
  expires: number
  /** When a background refresh of this entry started (one at a time; a lost one is retried after a TTL). */
  refreshingSince?: number
}

const byNamespace = new WeakMap<KVNamespace, Map<string, Entry>>()

function entries(kv: KVNamespace): Map<string, Entry> {
  let map = byNamespace.get(kv)
  if (!map) {
    map = new Map()
    byNamespace.set(kv, map)
  }
  return map
}

const loading = new WeakMap<Map<string, Entry>, Map<string, Promise<unknown>>>()

/**
 * Reads `key` through the isolate cache; `parse` runs once per refresh, not per request. Requests that miss
 * together share one KV read, and a request in an entry's last second refreshes it ahead of time, so what is
 * served is never older than ISOLATE_CACHE_TTL_MS and a warm key seldom costs a request a KV read.
 */
export async function readCached<T>(kv: KVNamespace, key: string, parse: (text: string | null) => T, now = Date.now()): Promise<T> {
  const map = entries(kv)
  const hit = map.get(key)
  if (hit && hit.expires > now) {
    if (hit.expires - now < REFRESH_AHEAD_MS && (hit.refreshingSince === undefined || now - hit.refreshingSince > ISOLATE_CACHE_TTL_MS)) {
      hit.refreshingSince = now
      // Not awaited: this request answers from memory. Should the runtime drop it, the entry expires as before.
      load(map, kv, key, parse, now).catch(() => undefined)
    }
    return hit.value as T
  }
  return load(map, kv, key, parse, now)
}

function load<T>(map: Map<string, Entry>, kv: KVNamespace, key: string, parse: (text: string | null) => T, now: number): Promise<T> {
  let pending = loading.get(map)
  if (!pending) {
    pending = new Map()
    loading.set(map, pending)
  }
  const running = pending.get(key) as Promise<T> | undefined
  if (running) return running
  const read: Promise<T> = kv.get(key, { type: 'text', cacheTtl: KV_CACHE_TTL_S }).then((text) => {
    const value = parse(text)
    // A key forgotten meanwhile (a write this isolate asked for) keeps what came after, not this older read.
    if (pending?.get(key) === read) map.set(key, { value, expires: now + ISOLATE_CACHE_TTL_MS })
    return value
  })
  const done = (): void => {
    if (pending?.get(key) === read) pending.delete(key)
  }
  pending.set(key, read)
  read.then(done, done)
  return read
}

/** The value kept for `key`, made on first use: memos hang off cached records, so they live exactly as long. */
export function getOrCreate<K, V>(store: { get(key: K): V | undefined; set(key: K, value: V): unknown }, key: K, make: () => V): V {
  let value = store.get(key)
  if (value === undefined) {
    value = make()
    store.set(key, value)
  }
  return value
}

/** A route that just asked the ledger to change a document drops its copy, so this isolate reads the new one. */
export function forgetKey(kv: KVNamespace, key: string): void {
  const map = entries(kv)
  map.delete(key)
  loading.get(map)?.delete(key)
}

/** For tests that seed KV behind the app's back. */
export function forgetCached(kv: KVNamespace): void {
  byNamespace.delete(kv)
}
