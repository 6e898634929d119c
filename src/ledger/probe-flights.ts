/**
 * @module One in-flight endpoint probe per number: the first caller of POST …/probe leads and probes, callers while it
 * is in flight wait for its outcome. Held in the ledger's memory, the one place every isolate's requests meet.
 */
import type { ProbeResult } from '../probe'

/** What a follower gets: the leader's outcome and the types of the events it recorded. */
export interface SharedProbe {
  result: ProbeResult
  events: string[]
}

interface Flight {
  /** After this (ms) a leader that never reported is given up on: a follower stops waiting, a new caller leads. */
  until: number
  waiters: ((shared: SharedProbe | null) => void)[]
}

export class ProbeFlights {
  private readonly flights = new Map<string, Flight>()

  /** Null: the caller leads (it probes, then calls finish). Otherwise the leader's outcome, or null when it never came. */
  join(phone: string, now: number, waitMs: number): Promise<SharedProbe | null> {
    const flight = this.flights.get(phone)
    if (!flight || flight.until <= now) {
      if (flight) this.finish(phone, null)
      this.flights.set(phone, { until: now + waitMs, waiters: [] })
      return Promise.resolve(null)
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), Math.max(0, flight.until - now))
      flight.waiters.push((shared) => {
        clearTimeout(timer)
        resolve(shared)
      })
    })
  }

  /** The leader's outcome (null: it failed before recording one) goes to every waiter; the next caller leads anew. */
  finish(phone: string, shared: SharedProbe | null): void {
    const flight = this.flights.get(phone)
    if (!flight) return
    this.flights.delete(phone)
    for (const wake of flight.waiters) wake(shared)
  }
}
