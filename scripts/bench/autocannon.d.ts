/** @module The part of autocannon's API the bench uses (autocannon ships no types). */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  namespace autocannon {
    interface Options {
      url: string
      method?: string
      headers?: Record<string, string>
      connections?: number
      /** Seconds. */
      duration?: number
      /** Seconds per request before it counts as a time-out. */
      timeout?: number
      /** Milliseconds between checks of the stop flag. */
      sampleInt?: number
    }
    interface Result {
      errors: number
      timeouts: number
    }
    interface Instance extends EventEmitter, PromiseLike<Result> {
      stop(): void
      on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): this
      on(event: string, listener: (...args: unknown[]) => void): this
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance
  export = autocannon
}
