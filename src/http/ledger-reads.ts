/** @module Public pages share the ledger read in flight, so anyone hammering /healthz or / makes one ledger call at a time per isolate. */
import type { CredentialProblem } from '../sources/credential-problems'
import type { Env } from '../env'
import type { FleetHealth, StatusPage } from '../ledger/views'
import { settingsOf } from '../ledger/settings'
import { ledgerOf } from '../ledger/stub'
import type { StatusQuery } from '../ledger/fleet-query'

const inFlight = new WeakMap<object, Map<string, Promise<unknown>>>()

/**
 * Requests that arrive while the same read is under way share it; the next one after it
 * settles asks afresh, so a view is never older than the request that asked for it.
 */
function shared<T>(env: Env, key: string, load: () => Promise<T>): Promise<T> {
  let map = inFlight.get(env.LEDGER)
  if (!map) {
    map = new Map()
    inFlight.set(env.LEDGER, map)
  }
  const running = map.get(key) as Promise<T> | undefined
  if (running) return running
  const value = load()
  map.set(key, value)
  const done = (): void => {
    if (map?.get(key) === value) map.delete(key)
  }
  value.then(done, done)
  return value
}

/** The fleet summary /healthz shows, with the secrets its numbers lack; `label`: one customer's numbers. */
export function publicHealth(
  env: Env,
  now: number,
  label: string | null = null,
): Promise<FleetHealth & { cron: string | null; problems: CredentialProblem[] }> {
  const settings = settingsOf(env)
  return shared(env, `health:${label}:${JSON.stringify(settings)}`, () => ledgerOf(env).health(settings, now, label))
}

/** The status page: its header and one page of numbers, in one ledger read. */
export function publicOverview(env: Env, query: StatusQuery, now: number): Promise<{ status: StatusPage; health: FleetHealth & { cron: string | null } }> {
  const settings = settingsOf(env)
  return shared(env, `overview:${JSON.stringify(query)}:${JSON.stringify(settings)}`, () => ledgerOf(env).overview(settings, query, now))
}

/** A page of the status view. */
export function publicStatus(env: Env, query: StatusQuery, now: number): Promise<StatusPage> {
  const settings = settingsOf(env)
  return shared(env, `status:${JSON.stringify(query)}:${JSON.stringify(settings)}`, () => ledgerOf(env).status(settings, query, now))
}
