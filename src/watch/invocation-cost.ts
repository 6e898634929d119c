/** @module What one consumer invocation costs: subrequests made and connections open at once, counted as they happen. */

export interface InvocationCost {
  subrequests: number
  max_in_flight: number
}

/** Wraps `fetch` so every call is counted, and open calls (until the answer's headers are in) are tracked. */
export function meterFetch(fetchFn: typeof fetch): { fetch: typeof fetch; cost: InvocationCost } {
  const cost: InvocationCost = { subrequests: 0, max_in_flight: 0 }
  let open = 0
  const metered: typeof fetch = async (input, init) => {
    cost.subrequests++
    open++
    cost.max_in_flight = Math.max(cost.max_in_flight, open)
    try {
      return await fetchFn(input, init)
    } finally {
      open--
    }
  }
  return { fetch: metered, cost }
}
