/** @module A per-run circuit breaker per Kaleyra pod: after a few numbers in a row got no answer from it, the pod is not asked again this run. */

/** Numbers in a row whose look-up on one pod ended in time-outs or refusals, before the rest of the run stops asking it. */
export const BREAKER_THRESHOLD = 3

/** One pod's view of the breaker, handed to the client for the attempts it makes on that pod. */
export interface PodCircuit {
  /** Null while the pod may be asked; otherwise the sentence that says why it is not. */
  refusal(): string | null
  /** A number's look-up ended without any answer from the pod: timed out, refused, reset. */
  failed(): void
  /** The pod answered a number with anything at all, even an error: it is there. */
  answered(): void
}

export interface CircuitBreaker {
  forPod(pod: string): PodCircuit
}

/** Lives for one run (or one batch): the next run asks the pod afresh, so a pod that comes back is seen at once. */
export function createCircuitBreaker(threshold = BREAKER_THRESHOLD): CircuitBreaker {
  const failures = new Map<string, number>()
  const open = new Set<string>()
  return {
    forPod(pod) {
      return {
        refusal: () =>
          open.has(pod)
            ? `Kaleyra pod ${pod} was not asked: ${threshold} numbers in a row got no answer from it in this run (time-outs or refused connections), so its remaining numbers fail fast until the next run`
            : null,
        failed: () => {
          const count = (failures.get(pod) ?? 0) + 1
          failures.set(pod, count)
          if (count >= threshold) open.add(pod)
        },
        answered: () => {
          if (!open.has(pod)) failures.set(pod, 0)
        },
      }
    },
  }
}
