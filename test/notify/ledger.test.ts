/** @module The outbox's books: order per number, the bounds that keep the run record small, and dead letters for whatever leaves undelivered. */
import { describe, expect, it } from 'vitest'
import { eventId, type FlowkeyEvent } from '../../src/notify/events'
import { bound, expire, giveUp, settle } from '../../src/notify/ledger'
import { MAX_DEAD_LETTERS, MAX_OUTBOX_ENTRIES, dropFinished, dueForChannel, emptyStats, enqueue, type OutboxEntry } from '../../src/notify/outbox'
import { GIVE_UP_AFTER_MS } from '../../src/notify/schedule'

function event(phone: string, seq: number): FlowkeyEvent {
  const data = { phone, sid: 'HX1', pod: 'in', kid: `kid${seq}`, previous_kid: null, spki_sha256: null, signature_status: 'VALID', previous_signature_status: null, error: null, endpoint: null }
  return { id: eventId(phone, seq, 'key.rotated', data.kid), seq, type: 'key.rotated', timestamp: new Date(0).toISOString(), data }
}

function outbox(events: FlowkeyEvent[], now = 0): OutboxEntry[] {
  const box: OutboxEntry[] = []
  enqueue(box, events, ['webhook', 'slack'], now)
  return box
}

describe('enqueue and due', () => {
  it('queues an event once per id, for each channel, and nothing without a channel', () => {
    const box = outbox([event('+911', 1)])
    expect(enqueue(box, [event('+911', 1), event('+911', 2)], ['webhook', 'slack'], 5)).toBe(1)
    expect(box.map((e) => Object.keys(e.deliveries))).toEqual([['webhook', 'slack'], ['webhook', 'slack']])
    expect(enqueue(box, [event('+911', 3)], [], 5)).toBe(0)
  })

  it("holds back a number's later events while its earliest pending one is not due", () => {
    const box = outbox([event('+911', 1), event('+922', 1), event('+911', 2)])
    settle(box[0], 'webhook', { kind: 'retry', status: 500, error: 'x', retryAfterMs: null }, 0, emptyStats())
    expect(dueForChannel(box, 'webhook', 1).map((e) => e.event.id)).toEqual([box[1].event.id])
    expect(dueForChannel(box, 'webhook', 60_000).map((e) => e.event.id)).toEqual([box[0].event.id, box[1].event.id, box[2].event.id])
    // The other channel keeps its own pace.
    expect(dueForChannel(box, 'slack', 1)).toHaveLength(3)
  })

  it('lets an event go once every channel is done with it', () => {
    const box = outbox([event('+911', 1)])
    const stats = emptyStats()
    settle(box[0], 'webhook', { kind: 'delivered', status: 200 }, 0, stats)
    dropFinished(box)
    expect(box).toHaveLength(1)
    settle(box[0], 'slack', { kind: 'permanent', status: 400, error: 'no' }, 0, stats)
    dropFinished(box)
    expect(box).toEqual([])
  })
})

describe('bounds', () => {
  it(`keeps at most ${MAX_OUTBOX_ENTRIES} events, dropping the oldest with a dead letter each`, () => {
    const box = outbox(Array.from({ length: MAX_OUTBOX_ENTRIES + 3 }, (_, i) => event('+911', i + 1)))
    const stats = { webhook: emptyStats(), slack: emptyStats() }
    bound(box, 0, (channel) => stats[channel])
    expect(box).toHaveLength(MAX_OUTBOX_ENTRIES)
    expect(box[0].event.seq).toBe(4)
    expect(stats.webhook.failed_total).toBe(3)
    expect(stats.slack.failed.map((d) => d.event_id)).toEqual([3, 2, 1].map((seq) => eventId('+911', seq, 'key.rotated', `kid${seq}`)))
    expect(stats.slack.failed[0].error).toBe(`dropped: more than ${MAX_OUTBOX_ENTRIES} events were waiting for delivery`)
  })

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
    expire(box, 'slack', GIVE_UP_AFTER_MS, stats, 'SLACK_WEBHOOK_URL is not set')
    expect(box.map((e) => e.deliveries.slack?.state)).toEqual(['failed', 'pending'])
    expect(stats.failed).toEqual([expect.objectContaining({ phone: '+911', attempts: 0, error: 'gave up after 24 h: SLACK_WEBHOOK_URL is not set' })])
  })
})
