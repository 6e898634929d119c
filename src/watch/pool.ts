/** @module Runs async work over a list with a cap on how much is in flight. */

/** Workers allow six open connections per invocation; more would only queue inside the runtime. */
export const MAX_IN_FLIGHT = 6

export async function mapWithLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
