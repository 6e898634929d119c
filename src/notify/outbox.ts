/** @module The outbox's entries: an event waiting for a channel, with its delivery state (the ledger keeps them as rows). */
import type { FlowkeyEvent } from './events'

/** The default channels; each label may add `webhook:<label>` and `slack:<label>` (notify/routing.ts). */
export const CHANNELS = ['webhook', 'slack'] as const
export type ChannelKind = (typeof CHANNELS)[number]
export type ChannelName = ChannelKind | `${ChannelKind}:${string}`

/** Dead letters kept per channel, newest first; `failed_total` keeps counting past it. */
export const MAX_DEAD_LETTERS = 50

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

/** An event a channel gave up on: permanently refused, failing for a day, or dropped from a full outbox. */
export interface DeadLetter {
  event_id: string
  type: string
  phone: string
  at: string
  attempts: number
  last_status: number | null
  error: string
}

export interface ChannelStats {
  last_success_at: string | null
  last_error_at: string | null
  last_error: string | null
  /** Every dead letter this channel ever recorded, including those the bounded list no longer holds. */
  failed_total: number
  /** Events this channel gave up on, newest first, bounded: nothing is dropped without a trace. */
  failed: DeadLetter[]
}

/**
 * What a channel may send now, in outbox order. A number whose earliest pending event is
 * not due yet is held back entirely, so its later events never overtake it.
 */
export function dueForChannel(outbox: readonly OutboxEntry[], channel: ChannelName, now: number): OutboxEntry[] {
  const held = new Set<string>()
  const due: OutboxEntry[] = []
  for (const entry of outbox) {
    const delivery = entry.deliveries[channel]
    if (delivery?.state !== 'pending') continue
    const phone = entry.event.data.phone
    if (held.has(phone)) continue
    if (delivery.next_at > now) held.add(phone)
    else due.push(entry)
  }
  return due
}

export function emptyStats(): ChannelStats {
  return { last_success_at: null, last_error_at: null, last_error: null, failed_total: 0, failed: [] }
}
