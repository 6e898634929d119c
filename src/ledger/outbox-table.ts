/** @module The outbox as rows: one per event and channel, in the order events happened, until delivered or given up. */
import type { FlowkeyEvent } from '../notify/events'
import { emptyStats, type ChannelName, type ChannelStats, type Delivery, type OutboxEntry } from '../notify/outbox'

type OutboxRow = {
  event: string
  queued_at: number
  delivery: string
}

export function enqueueEvents(sql: SqlStorage, events: readonly FlowkeyEvent[], channels: readonly ChannelName[], now: number): void {
  for (const event of events) {
    for (const channel of channels) {
      const delivery: Delivery = { state: 'pending', attempts: 0, next_at: now, last_status: null, last_error: null, delivered_at: null }
      // Once per event id and channel: a number's events are decided once, but a re-sent report must not queue twice.
      sql.exec(
        'INSERT OR IGNORE INTO outbox (event_id, channel, phone, event, queued_at, delivery, pending, next_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)',
        event.id,
        channel,
        event.data.phone,
        JSON.stringify(event),
        now,
        JSON.stringify(delivery),
        now,
      )
    }
  }
}

/** The channel's pending entries in queue order, as the deliverer's entries (one channel each). */
export function readPending(sql: SqlStorage, channel: ChannelName, limit: number): OutboxEntry[] {
  return sql
    .exec<OutboxRow>('SELECT event, queued_at, delivery FROM outbox WHERE channel = ? AND pending = 1 ORDER BY pos LIMIT ?', channel, limit)
    .toArray()
    .map((row) => ({ event: JSON.parse(row.event) as FlowkeyEvent, queued_at: row.queued_at, deliveries: { [channel]: JSON.parse(row.delivery) as Delivery } }))
}

/** Writes back what a sweep did; settled rows leave (a given-up one is a dead letter in the channel's stats). */
export function saveDeliveries(sql: SqlStorage, channel: ChannelName, entries: readonly OutboxEntry[]): void {
  for (const entry of entries) {
    const delivery = entry.deliveries[channel]
    if (!delivery) continue
    if (delivery.state === 'pending') {
      sql.exec(
        'UPDATE outbox SET delivery = ?, next_at = ? WHERE event_id = ? AND channel = ?',
        JSON.stringify(delivery),
        delivery.next_at,
        entry.event.id,
        channel,
      )
    } else {
      sql.exec('DELETE FROM outbox WHERE event_id = ? AND channel = ?', entry.event.id, channel)
    }
  }
}

export interface PendingSummary {
  pending: number
  oldest_queued_at: number | null
  next_at: number | null
}

export function summarizePending(sql: SqlStorage, channel: ChannelName): PendingSummary {
  const row = sql
    .exec<{ n: number; oldest: number | null; next: number | null }>(
      'SELECT COUNT(*) AS n, MIN(queued_at) AS oldest, MIN(next_at) AS next FROM outbox WHERE channel = ? AND pending = 1',
      channel,
    )
    .one()
  return { pending: row.n, oldest_queued_at: row.oldest, next_at: row.next }
}

/** Every channel with a delivery still owed, configured or not. */
export function channelsWithPending(sql: SqlStorage): ChannelName[] {
  return sql
    .exec<{ channel: ChannelName }>('SELECT DISTINCT channel FROM outbox WHERE pending = 1')
    .toArray()
    .map((row) => row.channel)
}

/** Every channel the ledger has heard of: with a delivery owed, or with stats of its own. */
export function knownChannels(sql: SqlStorage): ChannelName[] {
  return sql
    .exec<{ name: ChannelName }>('SELECT name FROM channels UNION SELECT DISTINCT channel AS name FROM outbox WHERE pending = 1')
    .toArray()
    .map((row) => row.name)
}

/** The earliest time any pending delivery falls due, for the alarm. */
export function nextDueAt(sql: SqlStorage): number | null {
  // A muted number's rows wait for its mute to end (which schedules the alarm itself): they must not wake it now.
  return sql.exec<{ next: number | null }>('SELECT MIN(next_at) AS next FROM outbox WHERE pending = 1 AND phone NOT IN (SELECT phone FROM mutes)').one().next
}

export function readStats(sql: SqlStorage, channel: ChannelName): ChannelStats {
  const row = sql.exec<{ stats: string }>('SELECT stats FROM channels WHERE name = ?', channel).toArray()[0]
  return { ...emptyStats(), ...(row ? (JSON.parse(row.stats) as Partial<ChannelStats>) : {}) }
}

export function writeStats(sql: SqlStorage, channel: ChannelName, stats: ChannelStats): void {
  sql.exec('INSERT INTO channels (name, stats) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET stats = excluded.stats', channel, JSON.stringify(stats))
}

/**
 * Deliveries follow the wall clock: an event queued at a run's planned time that lies ahead of it (wrangler's
 * --test-scheduled can plan one) counts as queued now, so neither its first attempt nor its retries wait for that time.
 */
export function queueOnWallClock(sql: SqlStorage, wall: number): void {
  sql.exec(
    `UPDATE outbox SET queued_at = ?, next_at = ?, delivery = json_set(delivery, '$.next_at', ?) WHERE pending = 1 AND queued_at > ?`,
    wall,
    wall,
    wall,
    wall,
  )
}
