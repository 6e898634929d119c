/** @module The outbox's books: order per number, bounded dead letters, and dead letters for whatever leaves undelivered. */
import { describe, expect, it } from 'vitest'
import { eventId, type FlowkeyEvent } from '../../src/notify/events'
import { expire, giveUp, settle } from '../../src/notify/delivery-outcome'
import { CHANNELS, MAX_DEAD_LETTERS, dueForChannel, emptyStats, type ChannelName, type Delivery, type OutboxEntry } from '../../src/notify/outbox'
import { GIVE_UP_AFTER_MS } from '../../src/notify/schedule'

function event(phone: string, seq: number): FlowkeyEvent {
  const data = {
    phone,
    source: 'kaleyra',
    sid: 'HX1',
    pod: 'in',
    kid: `kid${seq}`,
    previous_kid: null,
    spki_sha256: null,
    signature_status: 'VALID',
    previous_signature_status: null,
    error: null,
    endpoint: null,
  }
  return { id: eventId(phone, seq, 'key.rotated', data.kid), seq, type: 'key.rotated', timestamp: new Date(0).toISOString(), data }
}

function outbox(events: FlowkeyEvent[], now = 0): OutboxEntry[] {
  const pending = (): Delivery => ({ state: 'pending', attempts: 0, next_at: now, last_status: null, last_error: null, delivered_at: null })
  return events.map((event) => ({ event, queued_at: now, deliveries: Object.fromEntries(CHANNELS.map((c: ChannelName) => [c, pending()])) }))
}

describe('enqueue and due', () => {
  it("holds back a number's later events while its earliest pending one is not due", () => {
    const box = outbox([event('+911', 1), event('+922', 1), event('+911', 2)])
    settle(box[0], 'webhook', { kind: 'retry', status: 500, error: 'x', retryAfterMs: null }, 0, emptyStats())
    expect(dueForChannel(box, 'webhook', 1).map((e) => e.event.id)).toEqual([box[1].event.id])
    expect(dueForChannel(box, 'webhook', 60_000).map((e) => e.event.id)).toEqual([box[0].event.id, box[1].event.id, box[2].event.id])
    // The other channel keeps its own pace.
    expect(dueForChannel(box, 'slack', 1)).toHaveLength(3)
  })
})

describe('bounds', () => {
  it(`keeps the newest ${MAX_DEAD_LETTERS} dead letters and counts them all`, () => {
    const box = outbox(Array.from({ length: MAX_DEAD_LETTERS + 10 }, (_, i) => event('+911', i + 1)))
    const stats = emptyStats()
    for (const entry of box) giveUp(entry, 'webhook', stats, 'no', 'ISO')
    expect(stats.failed).toHaveLength(MAX_DEAD_LETTERS)
    expect(stats.failed[0].event_id).toBe(box[box.length - 1].event.id)
    expect(stats.failed_total).toBe(MAX_DEAD_LETTERS + 10)
  })

  it('expires only what is a day old', () => {
    const box = [...outbox([event('+911', 1)], 0), ...outbox([event('+922', 1)], 60_000)]
    const stats = emptyStats()
    expire(box, 'slack', GIVE_UP_AFTER_MS + 60_000, stats, 'SLACK_WEBHOOK_URL is not set')
    expect(box.map((e) => e.deliveries.slack?.state)).toEqual(['failed', 'pending'])
    expect(stats.failed).toEqual([expect.objectContaining({ phone: '+911', attempts: 0, error: 'gave up after 24 h: SLACK_WEBHOOK_URL is not set' })])
  })
})
