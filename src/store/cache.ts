/** @module Isolate memory in front of KV: a warm read is a Map lookup, refreshed every few seconds. */

/** How long an isolate trusts what it read; part of the rotation bound stated in the README. */
export const ISOLATE_CACHE_TTL_MS = 5_000
/** KV's own edge cache for reads (its minimum is 30 s). */
export const KV_CACHE_TTL_S = 30

interface Entry {
  value: unknown
  expires: number
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

/** Reads `key` through the isolate cache; `parse` runs once per refresh, not per request. */
export async function readCached<T>(kv: KVNamespace, key: string, parse: (text: string | null) => T, now = Date.now()): Promise<T> {
  const map = entries(kv)
  const hit = map.get(key)
  if (hit && hit.expires > now) return hit.value as T
  const value = parse(await kv.get(key, { type: 'text', cacheTtl: KV_CACHE_TTL_S }))
  map.set(key, { value, expires: now + ISOLATE_CACHE_TTL_MS })
  return value
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
  entries(kv).delete(key)
}

/** For tests that seed KV behind the app's back. */
export function forgetCached(kv: KVNamespace): void {
  byNamespace.delete(kv)
}
