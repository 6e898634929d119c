/** @module What every route gets: the parsed config and the runtime collaborators wired at the entry. */
import type { Config, ConfigProblem } from '../config'
import type { Env } from '../env'
import type { Logger } from '../log'

/** The collaborators a route may need: swapped in tests, real at the entry. */
export interface Runtime {
  fetch: typeof fetch
  /** The clock events and checks are recorded on (ms). */
  now: () => number
  /** Wall clock, for round trips and signatures. */
  clock: () => number
  log: Logger
}

export interface AppEnv {
  Bindings: Env
  Variables: {
    config: Config
    problems: ConfigProblem[]
  }
}
