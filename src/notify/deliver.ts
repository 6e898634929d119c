/** @module Sends what has fallen due in the outbox, channel by channel, and books every outcome in the run record. */
import type { Config } from '../config'
import type { StateRecord } from '../store/records'
import type { LogLine } from '../watch/run-check'
import { CHANNEL_SETTING, configuredChannels, type Channel } from './channels'
import { bound, expire, settle } from './ledger'
import { CHANNELS, dropFinished, dueForChannel, pendingFor, statsFor, type ChannelStats, type OutboxEntry } from './outbox'
import { DELIVERY_TIMEOUT_MS } from './send'

/** Messages per channel per run; what is left waits for the next run, so one sweep stays well inside a cron invocation. */
export const MAX_SENDS_PER_RUN = 100
/** Real time a channel may spend sending in one run before the rest waits for the next. */
export const SWEEP_BUDGET_MS = 60_000
const LOGGED_IDS = 3

export interface DeliverIo {
  fetch: typeof fetch
  log: (line: LogLine) => void
  /** Real time, for signatures and the sweep budget (not the run's clock); Date.now when absent. */
  clock?: () => number
  timeoutMs?: number
}

/** `fetch`, when given, replaces io.fetch for this sweep: the run passes its metered fetch so deliveries count in its cost. */
export type Deliver = (state: StateRecord, now: number, fetchFn?: typeof globalThis.fetch) => Promise<void>

/**
 * The run calls this with its record just before writing it, so what was sent and what
 * failed is saved in the same write: a crash in between sends again rather than forgets.
 */
export function createDeliverer(config: Config, io: DeliverIo): Deliver {
  const clock = io.clock ?? (() => Date.now())
  const timeoutMs = io.timeoutMs ?? DELIVERY_TIMEOUT_MS
  const defaultChannels = configuredChannels(config, { fetch: io.fetch, clock, timeoutMs })
  return async (state, now, fetchFn) => {
    const channels = fetchFn ? configuredChannels(config, { fetch: fetchFn, clock, timeoutMs }) : defaultChannels
    const statsOf = (name: Channel['name']): ChannelStats => statsFor(state.channels, name)
    dropFinished(state.outbox)
    bound(state.outbox, now, statsOf)
    for (const name of CHANNELS) {
      // Events queued for a channel that was since unset wait a day for it to come back, then become dead letters.
      if (!channels.some((c) => c.name === name) && pendingFor(state.outbox, name).length > 0) {
        expire(state.outbox, name, now, statsOf(name), `${CHANNEL_SETTING[name]} is not set`)
      }
    }
    await Promise.all(channels.map((channel) => sweep(channel, state.outbox, now, statsOf(channel.name), io.log, clock)))
    dropFinished(state.outbox)
  }
}

/**
 * Sends the channel's due messages in order. The first failure worth retrying ends the
 * channel's turn: the receiver is down or busy, and the next run tries again, so a dead
 * receiver costs one attempt per run, not one per event.
 */
async function sweep(channel: Channel, outbox: OutboxEntry[], now: number, stats: ChannelStats, log: DeliverIo['log'], clock: () => number): Promise<void> {
  const deadline = clock() + SWEEP_BUDGET_MS
  const batches = channel.plan(dueForChannel(outbox, channel.name, now)).slice(0, MAX_SENDS_PER_RUN)
  for (const batch of batches) {
    if (clock() > deadline) break
    const outcome = await channel.send(batch)
    for (const entry of batch) settle(entry, channel.name, outcome, now, stats)
    const ids = batch.map((entry) => entry.event.id)
    log({
      msg: outcome.kind === 'delivered' ? 'notification delivered' : outcome.kind === 'retry' ? 'notification will be retried' : 'notification refused for good',
      level: outcome.kind === 'delivered' ? 'info' : outcome.kind === 'retry' ? 'warn' : 'error',
      channel: channel.name,
      events: ids.length,
      event_ids: ids.slice(0, LOGGED_IDS),
      status: outcome.status,
      error: outcome.kind === 'delivered' ? undefined : outcome.error,
    })
    if (outcome.kind === 'retry') {
      expire(outbox, channel.name, now, stats, `${CHANNEL_SETTING[channel.name]} kept failing; last: ${outcome.error}`)
      return
    }
  }
}
