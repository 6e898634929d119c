/** @module One check run at a time per isolate: a slow cron run and POST /v1/check take turns instead of racing. */

let tail: Promise<unknown> = Promise.resolve()

/** Runs `work` after every run queued before it has settled. */
export function serialize<T>(work: () => Promise<T>): Promise<T> {
  const result = tail.then(work, work)
  tail = result.catch(() => undefined)
  return result
}
