/** @module Sends what has fallen due in the outbox (the notifications stage writes this). */
import type { Config } from '../config'
import type { StateRecord } from '../store/records'
import type { LogLine } from '../watch/run-check'

export interface DeliverIo {
  fetch: typeof fetch
  log: (line: LogLine) => void
}

export function createDeliverer(_config: Config, _io: DeliverIo): ((state: StateRecord, now: number) => Promise<void>) | undefined {
  return undefined
}
