/** @module The settings a caller hands the ledger: the Worker's vars and secrets as strings, parsed there into one Config. */
import { parseConfig, type ParsedConfig } from '../config'
import type { Env } from '../env'

/** Only strings travel: bindings stay behind, and the ledger parses exactly what the caller parsed. */
export type Settings = Record<string, string>

const byEnv = new WeakMap<object, Settings>()

/** Once per env object, as getConfig does: Workers hand every request of an isolate the same one. */
export function settingsOf(env: Env): Settings {
  let settings = byEnv.get(env)
  if (!settings) {
    settings = {}
    for (const [name, value] of Object.entries(env)) if (typeof value === 'string') settings[name] = value
    byEnv.set(env, settings)
  }
  return settings
}

const parsed = new Map<string, ParsedConfig>()

/** Memoized by content: every call of a run carries the same settings. */
export function configOf(settings: Settings): ParsedConfig {
  const key = JSON.stringify(settings)
  let result = parsed.get(key)
  if (!result) {
    result = parseConfig(settings as unknown as Env)
    if (parsed.size > 16) parsed.clear()
    parsed.set(key, result)
  }
  return result
}
