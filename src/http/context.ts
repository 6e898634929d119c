/** @module What every route gets: the parsed config and the runtime collaborators wired at the entry. */
import type { Config, ConfigProblem } from '../config'
import type { Env } from '../env'
import type { RunDeps } from '../watch/run-check'

/** The collaborators a route may need to run a check: swapped in tests, real at the entry. */
export interface Runtime {
  fetch: typeof fetch
  now: () => number
  log: RunDeps['log']
  deliverFor: (config: Config) => RunDeps['deliver']
}

export interface AppEnv {
  Bindings: Env
  Variables: {
    config: Config
    problems: ConfigProblem[]
  }
}
