/** @module A per-run circuit breaker per source host (each Kaleyra pod its own): after a few numbers in a row got no answer from it, the host is not asked again this run. */

/** Numbers in a row whose look-up on one host ended in time-outs or refusals, before the rest of the run stops asking it. */
export const BREAKER_THRESHOLD = 3

/** One host's view of the breaker, handed to the reader for the attempts it makes on that host. */
export interface HostCircuit {
  /** Null while the host may be asked; otherwise the sentence that says why it is not. */
  refusal(): string | null
  /** A number's look-up ended without any answer from the host: timed out, refused, reset. */
  failed(): void
  /** The host answered a number with anything at all, even an error: it is there. */
  answered(): void
}

export interface CircuitBreaker {
  /** `host` names it in a sentence, e.g. `Kaleyra pod in` or `Meta's Graph API at graph.facebook.com`. */
  forHost(host: string): HostCircuit
}

/** Lives for one run (or one batch): the next run asks the host afresh, so a host that comes back is seen at once. */
export function createCircuitBreaker(threshold = BREAKER_THRESHOLD): CircuitBreaker {
  const failures = new Map<string, number>()
  const open = new Set<string>()
  return {
    forHost(host) {
      return {
        refusal: () =>
          open.has(host)
            ? `${host} was not asked: ${threshold} numbers in a row got no answer from it in this run (time-outs or refused connections), so its remaining numbers fail fast until the next run`
            : null,
        failed: () => {
          const count = (failures.get(host) ?? 0) + 1
          failures.set(host, count)
          if (count >= threshold) open.add(host)
        },
        answered: () => {
          if (!open.has(host)) failures.set(host, 0)
        },
      }
    },
  }
}
