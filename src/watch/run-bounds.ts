/** @module The bounds one run (or one batch) lends every look-up: a circuit breaker per pod and a deadline. */
import { createCircuitBreaker, type CircuitBreaker } from './circuit-breaker'
import { startRunDeadline, type RunDeadline } from './run-deadline'

export interface RunBounds {
  breaker: CircuitBreaker
  deadline: RunDeadline
}

/** Started when the run starts asking Kaleyra; pass the result into every lookUpKey of the run. */
export function startRunBounds(deadlineMs?: number, clock?: () => number): RunBounds {
  return { breaker: createCircuitBreaker(), deadline: startRunDeadline(deadlineMs, clock) }
}
