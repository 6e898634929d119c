/** @module The outbox: events waiting for each channel, with their delivery state, kept in the run record. */
import type { FlowkeyEvent } from './events'

export const CHANNELS = ['webhook', 'slack'] as const
export type ChannelName = (typeof CHANNELS)[number]

export interface Delivery {
  state: 'pending' | 'delivered' | 'failed'
  attempts: number
  /** Run-clock time (ms) at which the next attempt falls due. */
  next_at: number
  last_status: number | null
  last_error: string | null
  delivered_at: string | null
}

export interface OutboxEntry {
  event: FlowkeyEvent
  /** Run-clock time (ms) the event entered the outbox; retries give up a day and more after it. */
  queued_at: number
  deliveries: Partial<Record<ChannelName, Delivery>>
}

export interface DeadLetter {
  event_id: string
  type: string
  phone: string
  at: string
  error: string
}

export interface ChannelStats {
  last_success_at: string | null
  last_error_at: string | null
  last_error: string | null
  /** Events this channel gave up on, newest first, bounded: nothing is dropped without a trace. */
  failed: DeadLetter[]
}

/** Puts events in the outbox of every configured channel, once per event id. */
export function enqueue(outbox: OutboxEntry[], events: readonly FlowkeyEvent[], channels: readonly ChannelName[], now: number): number {
  if (channels.length === 0) return 0
  const known = new Set(outbox.map((entry) => entry.event.id))
  let added = 0
  for (const event of events) {
    if (known.has(event.id)) continue
    known.add(event.id)
    const deliveries: Partial<Record<ChannelName, Delivery>> = {}
    for (const channel of channels) {
      deliveries[channel] = { state: 'pending', attempts: 0, next_at: now, last_status: null, last_error: null, delivered_at: null }
    }
    outbox.push({ event, queued_at: now, deliveries })
    added++
  }
  return added
}
