/** @module Books an attempt's outcome into an outbox entry and the channel's stats: delivered, retry later, or a dead letter. */
import { MAX_DEAD_LETTERS, type ChannelName, type ChannelStats, type OutboxEntry } from './outbox'
import { GIVE_UP_AFTER_MS, nextAttemptAt, shouldGiveUp } from './schedule'
import type { AttemptOutcome } from './send'

const HOURS = GIVE_UP_AFTER_MS / 3_600_000

export function settle(entry: OutboxEntry, channel: ChannelName, outcome: AttemptOutcome, now: number, stats: ChannelStats): void {
  const delivery = entry.deliveries[channel]
  if (delivery?.state !== 'pending') return
  const at = new Date(now).toISOString()
  delivery.attempts += 1
  delivery.last_status = outcome.status
  if (outcome.kind === 'delivered') {
    delivery.state = 'delivered'
    delivery.last_error = null
    delivery.delivered_at = at
    stats.last_success_at = at
    return
  }
  delivery.last_error = outcome.error
  stats.last_error_at = at
  stats.last_error = outcome.error
  if (outcome.kind === 'permanent') return giveUp(entry, channel, stats, outcome.error, at)
  if (shouldGiveUp(delivery.attempts, entry.queued_at, now)) {
    return giveUp(entry, channel, stats, `gave up after ${delivery.attempts} attempts over ${HOURS} h; last: ${outcome.error}`, at)
  }
  delivery.next_at = nextAttemptAt(delivery.attempts, entry.queued_at, now, outcome.retryAfterMs)
}

/** Marks the delivery failed and leaves a dead letter, so /v1/status shows what was not delivered and why. */
export function giveUp(entry: OutboxEntry, channel: ChannelName, stats: ChannelStats, error: string, at: string): void {
  const delivery = entry.deliveries[channel]
  if (delivery?.state !== 'pending') return
  delivery.state = 'failed'
  delivery.last_error = error
  const { event } = entry
  stats.failed.unshift({
    event_id: event.id,
    type: event.type,
    phone: event.data.phone,
    at,
    attempts: delivery.attempts,
    last_status: delivery.last_status,
    error,
  })
  stats.failed.splice(MAX_DEAD_LETTERS)
  stats.failed_total += 1
}

/**
 * Gives up every pending delivery on the channel that is a day old. Used when the channel
 * is failing (or no longer configured), so a long outage ends in dead letters for the whole
 * backlog at once rather than one per run.
 */
export function expire(outbox: readonly OutboxEntry[], channel: ChannelName, now: number, stats: ChannelStats, reason: string): void {
  const at = new Date(now).toISOString()
  for (const entry of outbox) {
    const delivery = entry.deliveries[channel]
    if (delivery?.state === 'pending' && shouldGiveUp(delivery.attempts, entry.queued_at, now)) {
      giveUp(entry, channel, stats, `gave up after ${HOURS} h: ${reason}`, at)
    }
  }
}
