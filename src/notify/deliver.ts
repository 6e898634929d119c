/** @module Sends what has fallen due for one channel, in order, and books every outcome on the entries and the channel's stats. */
import type { Logger } from '../log'
import type { Channel } from './channels'
import { expire, settle } from './delivery-outcome'
import { dueForChannel, type ChannelStats, type OutboxEntry } from './outbox'
import { channelSetting } from './routing'

/** Messages per channel per sweep: a sweep stays well inside one invocation's subrequests; the alarm comes back for the rest. */
export const MAX_SENDS_PER_SWEEP = 40
/** Real time a channel may spend sending in one sweep before the rest waits for the next. */
export const SWEEP_BUDGET_MS = 30_000
const LOGGED_IDS = 3

export interface SweepIo {
  log: Logger
  /** Real time, for the sweep budget; the schedule runs on `now`. */
  clock: () => number
}

/**
 * Sends the channel's due messages in order. The first failure worth retrying ends the
 * channel's turn: the receiver is down or busy, and its schedule brings the ledger back,
 * so a dead receiver costs one attempt per due time, not one per event.
 * Returns true when it stopped with due messages left (more than one sweep's worth).
 */
export async function sweepChannel(channel: Channel, pending: OutboxEntry[], now: number, stats: ChannelStats, io: SweepIo): Promise<boolean> {
  const deadline = io.clock() + SWEEP_BUDGET_MS
  const batches = channel.plan(dueForChannel(pending, channel.name, now))
  let sent = 0
  for (const batch of batches) {
    if (sent >= MAX_SENDS_PER_SWEEP || io.clock() > deadline) return true
    sent++
    const outcome = await channel.send(batch)
    for (const entry of batch) settle(entry, channel.name, outcome, now, stats)
    const ids = batch.map((entry) => entry.event.id)
    io.log({
      msg:
        outcome.kind === 'delivered' ? 'notification delivered' : outcome.kind === 'retry' ? 'notification will be retried' : 'notification refused for good',
      level: outcome.kind === 'delivered' ? 'info' : outcome.kind === 'retry' ? 'warn' : 'error',
      channel: channel.name,
      events: ids.length,
      event_ids: ids.slice(0, LOGGED_IDS),
      status: outcome.status,
      error: outcome.kind === 'delivered' ? undefined : outcome.error,
    })
    if (outcome.kind === 'retry') {
      // A whole backlog that reached the end of its schedule goes to dead letters at once.
      expire(pending, channel.name, now, stats, `${channelSetting(channel.name)} kept failing; last: ${outcome.error}`)
      return false
    }
  }
  return false
}

/** Events queued for a channel that was since unset wait out their schedule, then become dead letters. */
export function expireUnconfigured(channelName: Channel['name'], pending: OutboxEntry[], now: number, stats: ChannelStats): void {
  expire(pending, channelName, now, stats, `${channelSetting(channelName)} is not set`)
}
