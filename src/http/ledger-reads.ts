/** @module Public pages ask the ledger through a short isolate memo, so anyone hammering /healthz or / cannot keep the ledger busy. */
import type { Env } from '../env'
import type { FleetHealth, StatusPage } from '../ledger/views'
import { settingsOf } from '../ledger/settings'
import { ledgerOf } from '../ledger/stub'

/** As long as the isolate cache in front of KV: a public view is at most this old. */
export const PUBLIC_VIEW_TTL_MS = 5_000

interface Memo<T> {
  value: Promise<T>
  expires: number
}

const memos = new WeakMap<object, Map<string, Memo<unknown>>>()

function memoized<T>(env: Env, key: string, now: number, load: () => Promise<T>): Promise<T> {
  let map = memos.get(env.LEDGER)
  if (!map) {
    map = new Map()
    memos.set(env.LEDGER, map)
  }
  const hit = map.get(key) as Memo<T> | undefined
  if (hit && hit.expires > now) return hit.value
  const value = load()
  map.set(key, { value, expires: now + PUBLIC_VIEW_TTL_MS })
  // A failed read is not kept: the next request asks again.
  value.catch(() => map?.delete(key))
  return value
}

/** The fleet summary /healthz shows, at most PUBLIC_VIEW_TTL_MS old. */
export function publicHealth(env: Env, now: number): Promise<FleetHealth & { cron: string | null }> {
  return memoized(env, `health:${JSON.stringify(settingsOf(env))}`, now, () => ledgerOf(env).health(settingsOf(env)))
}

/** A page of the status view the public page shows, at most PUBLIC_VIEW_TTL_MS old. */
export function publicStatus(env: Env, cursor: string, limit: number, now: number): Promise<StatusPage> {
  return memoized(env, `status:${cursor}:${limit}:${JSON.stringify(settingsOf(env))}`, now, () => ledgerOf(env).status(settingsOf(env), cursor, limit, now))
}

/** For tests that change the ledger and read a public view at once. */
export function forgetPublicViews(env: Pick<Env, 'LEDGER'>): void {
  memos.delete(env.LEDGER)
}
