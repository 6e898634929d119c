/** @module A run's deadline: well inside the platform's limit, so a slow or silent pod ends in recorded failures, not a killed run. */

/**
 * Real time a run (or one batch of the fan-out) may spend asking Kaleyra. A cron or queue
 * invocation may run for minutes, but a run killed at the limit records nothing, and
 * `check.failing` would never go out during exactly the outage it exists for.
 */
export const RUN_DEADLINE_MS = 75_000

export interface RunDeadline {
  /** Milliseconds left; 0 once passed. */
  remainingMs(): number
  /** The sentence recorded for a number the run had no time left to ask about. */
  refusal(source?: string): string | null
}

/** `clock` is real time (not the run's scheduled clock), since the platform's limit is in real time. */
export function startRunDeadline(budgetMs = RUN_DEADLINE_MS, clock: () => number = () => Date.now()): RunDeadline {
  const endsAt = clock() + budgetMs
  return {
    remainingMs: () => Math.max(0, endsAt - clock()),
    refusal: (source = 'Kaleyra') =>
      clock() >= endsAt
        ? `${source} was not asked: the check run's deadline (${formatMs(budgetMs)}) had passed, so the run recorded this number as failing instead of being cut off`
        : null,
  }
}

function formatMs(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`
}
