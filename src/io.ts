/** @module The I/O every part of flowkey reads time, the network and its log through: the platform's, wired once for the Worker and the Ledger alike. */
import { consoleLogger, type Logger } from './log'

export interface Io {
  fetch: typeof fetch
  /** Wall clock (ms). */
  clock: () => number
  log: Logger
}

/** The platform's own: the Worker's entry and the Ledger Durable Object both start from this one object. */
export const platformIo: Io = {
  fetch: (input, init) => fetch(input, init),
  clock: () => Date.now(),
  log: consoleLogger,
}
