/** @module At least once: the Standard Webhooks schedule on the ledger's clock with one webhook-id, Retry-After, permanent refusals and give-ups visible in /v1/status, order per number after an outage. */
import { reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import type { ChannelView } from '../../src/ledger/views'
import type { ChannelName } from '../../src/notify/outbox'
import { GIVE_UP_AFTER_MS } from '../../src/notify/schedule'
import { Account } from '../support/kaleyra'
import { forgetIsolateCache, operator, request, sweep, tick } from '../support/worker'
import { MINUTE, Receiver, WEBHOOK_SECRET, channelEnv, verify } from './helpers'

const account = new Account('HXNOTIFYRETRY1IN', 'notify-retries-api-key')
const receiver = new Receiver('/notify-retries')
const A = '+919850000001'
const B = '+919850000002'
const SECOND = 1_000
const HOUR = 60 * MINUTE

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await Promise.all([account.create(), receiver.reset()])
})

async function notifications(env: ReturnType<typeof channelEnv>): Promise<{ channels: Record<ChannelName, ChannelView>; raw: string }> {
  const res = await request(env, '/v1/status', operator())
  expect(res.status).toBe(200)
  const raw = await res.text()
  return { ...(JSON.parse(raw) as { notifications: { channels: Record<ChannelName, ChannelView> } }).notifications, raw }
}

describe('retries', () => {
  it('a receiver that answers 500 three times gets the event at 5 s, 5 min and 30 min, with the same webhook-id', async () => {
    await account.addNumber(A)
    await receiver.program('/hook', [{ status: 500, count: 3 }])
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: A })
    const t0 = Date.now()
    await tick(env, t0)
    expect(await receiver.requests('/hook')).toHaveLength(1)
    // The second attempt is due 5 s after the event was queued: a sweep at 4 s leaves it alone.
    await sweep(env, t0 + 4 * SECOND)
    expect(await receiver.requests('/hook')).toHaveLength(1)
    let view = await notifications(env)
    expect(view.channels.webhook).toMatchObject({ pending: 1, failing: true, last_error: 'WEBHOOK_URL answered 500', failed: [] })
    expect(view.channels.webhook.next_attempt_at).toBe(new Date(t0 + 5 * SECOND).toISOString())

    for (const at of [5 * SECOND, 5 * MINUTE, 30 * MINUTE]) await sweep(env, t0 + at)
    const hooks = await receiver.requests('/hook')
    expect(hooks).toHaveLength(4)
    expect(new Set(hooks.map((r) => r.headers['webhook-id'])).size).toBe(1)
    expect(new Set(hooks.map((r) => r.body)).size).toBe(1)
    for (const hook of hooks) expect(verify(hook).type).toBe('key.first_seen')
    expect(await receiver.requests('/slack')).toHaveLength(1)
    view = await notifications(env)
    expect(view.channels.webhook).toMatchObject({ pending: 0, failing: false, failed: [] })
    expect(view.channels.webhook.last_success_at).toBe(new Date(t0 + 30 * MINUTE).toISOString())
  })

  it("honours Slack's 429 Retry-After on the ledger's clock", async () => {
    await account.addNumber(A)
    await receiver.program('/slack', [{ preset: 'rate_limited', headers: { 'retry-after': '300' } }])
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: A })
    const t0 = Date.now()
    await tick(env, t0)
    // The schedule alone would retry after 5 s; Slack asked for five minutes.
    await sweep(env, t0 + 2 * MINUTE)
    expect(await receiver.requests('/slack')).toHaveLength(1)
    expect((await notifications(env)).channels.slack.last_error).toBe('SLACK_WEBHOOK_URL answered 429: rate_limited')
    await sweep(env, t0 + 5 * MINUTE)
    const slack = await receiver.requests('/slack')
    expect(slack).toHaveLength(2)
    expect(slack[1].body).toBe(slack[0].body)
  })

  it('5xx, 408 and refused connections are retried; the receiver is tried once per due time while it fails', async () => {
    await account.addNumber(A)
    await receiver.program('/hook', [{ status: 503 }, { status: 408 }, { preset: 'down' }])
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: A })
    const t0 = Date.now()
    await tick(env, t0)
    for (const at of [5 * SECOND, 6 * SECOND, 5 * MINUTE, 30 * MINUTE]) await sweep(env, t0 + at)
    const hooks = await receiver.requests('/hook')
    expect(hooks).toHaveLength(4)
    expect(new Set(hooks.map((r) => r.headers['webhook-id'])).size).toBe(1)
    expect((await notifications(env)).channels.webhook).toMatchObject({ pending: 0, failed: [] })
  })
})

describe('permanent failures', () => {
  it('a 400 is not retried and shows in /v1/status, without the Slack URL or the secret', async () => {
    await account.addNumber(A)
    await receiver.program('/hook', [{ status: 400, body: 'unknown event type' }])
    await receiver.program('/slack', [{ preset: 'invalid_payload' }])
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: A })
    const t0 = Date.now()
    await tick(env, t0)
    for (const at of [5 * SECOND, 5 * MINUTE, 2 * HOUR]) await sweep(env, t0 + at)
    expect(await receiver.requests('/hook')).toHaveLength(1)
    expect(await receiver.requests('/slack')).toHaveLength(1)
    const view = await notifications(env)
    expect(view.channels.webhook).toMatchObject({ configured: true, pending: 0, failed_total: 1, last_error: 'WEBHOOK_URL answered 400: unknown event type' })
    expect(view.channels.webhook.failed).toEqual([
      {
        event_id: expect.stringMatching(/^evt_/),
        type: 'key.first_seen',
        phone: A,
        at: new Date(t0).toISOString(),
        attempts: 1,
        last_status: 400,
        error: 'WEBHOOK_URL answered 400: unknown event type',
      },
    ])
    expect(view.channels.slack.failed).toEqual([
      expect.objectContaining({ type: 'key.first_seen', last_status: 400, error: 'SLACK_WEBHOOK_URL answered 400: invalid_payload' }),
    ])
    expect(view.raw).not.toContain(receiver.url('/slack'))
    expect(view.raw).not.toContain(WEBHOOK_SECRET.slice('whsec_'.length))
  })

  it("Slack's channel_not_found (404) is permanent too, and later events still go out", async () => {
    await account.addNumber(A)
    await receiver.program('/slack', [{ preset: 'channel_not_found' }])
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: A })
    const t0 = Date.now()
    await tick(env, t0)
    await account.rotate(A)
    await tick(env, t0 + 10 * MINUTE)
    const slack = await receiver.requests('/slack')
    expect(slack.map((r) => JSON.parse(r.body).text as string)).toEqual([expect.stringMatching(/^Key first seen/), expect.stringMatching(/^Key rotated/)])
    const view = await notifications(env)
    expect(view.channels.slack).toMatchObject({ pending: 0, failed_total: 1, last_error: 'SLACK_WEBHOOK_URL answered 404: channel_not_found' })
  })

  it('a redirect is not followed and is recorded', async () => {
    await account.addNumber(A)
    await receiver.program('/hook', [{ status: 301, headers: { location: receiver.url('/moved') } }])
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: A })
    await tick(env)
    expect(await receiver.requests('/moved')).toEqual([])
    expect((await notifications(env)).channels.webhook.failed).toEqual([
      expect.objectContaining({ last_status: 301, error: expect.stringContaining('does not follow') }),
    ])
  })

  it('gives up after the schedule’s ten attempts over a day, records a dead letter, and delivers what comes after', async () => {
    await account.addNumber(A)
    await receiver.program('/hook', [{ status: 502, count: 100 }])
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: A })
    const t0 = Date.now()
    await tick(env, t0)
    for (const at of [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR]) await sweep(env, t0 + at)
    expect((await notifications(env)).channels.webhook).toMatchObject({ pending: 1, failed: [] })
    await sweep(env, t0 + GIVE_UP_AFTER_MS)
    const view = await notifications(env)
    expect(await receiver.requests('/hook')).toHaveLength(10)
    expect(view.channels.webhook).toMatchObject({ pending: 0, failed_total: 1 })
    expect(view.channels.webhook.failed[0]).toMatchObject({
      type: 'key.first_seen',
      attempts: 10,
      last_status: 502,
      error: 'gave up after 10 attempts over 24 h; last: WEBHOOK_URL answered 502',
    })
    await receiver.reset()
    await account.rotate(A)
    await tick(env, t0 + GIVE_UP_AFTER_MS + 10 * MINUTE)
    expect((await receiver.requests('/hook')).map((r) => verify(r).type)).toEqual(['key.rotated'])
  })
})

describe('configuration changes', () => {
  it('events for a channel that was unset wait a day for it, then become dead letters', async () => {
    await account.addNumber(A)
    await receiver.program('/slack', [{ status: 503 }])
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: A })
    const t0 = Date.now()
    await tick(env, t0)
    const withoutSlack = channelEnv(account, receiver, { WATCH_NUMBERS: A, SLACK_WEBHOOK_URL: '' })
    await tick(withoutSlack, t0 + HOUR)
    expect((await notifications(withoutSlack)).channels.slack).toMatchObject({ configured: false, pending: 1, failed: [] })
    await sweep(withoutSlack, t0 + GIVE_UP_AFTER_MS + MINUTE)
    const { channels } = await notifications(withoutSlack)
    expect(channels.slack).toMatchObject({ pending: 0, failed: [expect.objectContaining({ error: 'gave up after 24 h: SLACK_WEBHOOK_URL is not set' })] })
    expect(await receiver.requests('/slack')).toHaveLength(1)
  })

  it('a WEBHOOK_SECRET that cannot be decoded holds deliveries until it is fixed', async () => {
    await account.addNumber(A)
    const broken = channelEnv(account, receiver, { WATCH_NUMBERS: A, WEBHOOK_SECRET: 'whsec_a' })
    const t0 = Date.now()
    await tick(broken, t0)
    expect(await receiver.requests('/hook')).toEqual([])
    expect((await notifications(broken)).channels.webhook).toMatchObject({ pending: 1, last_error: 'WEBHOOK_SECRET must look like whsec_<base64>' })
    await tick(channelEnv(account, receiver, { WATCH_NUMBERS: A }), t0 + 10 * MINUTE)
    expect((await receiver.requests('/hook')).map((r) => verify(r).type)).toEqual(['key.first_seen'])
  })
})

describe('a receiver down for a few minutes', () => {
  it('gets every event when its schedule falls due, not at the next cron, each once, in order per number', async () => {
    await Promise.all([account.addNumber(A), account.addNumber(B)])
    await receiver.program('/hook', [{ preset: 'down', count: 1000 }])
    await receiver.program('/slack', [{ preset: 'down', count: 1000 }])
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: `${A},${B}` })
    const t0 = Date.now()
    await tick(env, t0)
    // While down, a channel costs one attempt per sweep, not one per event: the run's events
    // met two sweeps (the alarm's and the tick's), so at most two of the three were tried.
    expect((await receiver.requests('/hook')).length).toBeLessThanOrEqual(2)
    await sweep(env, t0 + 5 * SECOND)
    await account.rotate(A)
    await account.setStatus(B, 'INVALID')
    await tick(env, t0 + MINUTE)
    expect((await notifications(env)).channels.webhook.pending).toBe(4)

    // Back up two minutes later: nothing is due before the 5-minute attempt, then everything goes.
    await receiver.reset()
    await sweep(env, t0 + 4 * MINUTE)
    expect(await receiver.requests('/hook')).toEqual([])
    await sweep(env, t0 + 5 * MINUTE)
    const delivered = (await receiver.requests('/hook')).map((r) => ({ id: r.headers['webhook-id'], ...verify(r) }))
    expect(new Set(delivered.map((d) => d.id)).size).toBe(delivered.length)
    const of = (phone: string): string[] => delivered.filter((d) => d.data.phone === phone).map((d) => d.type)
    expect(of(A)).toEqual(['key.first_seen', 'key.rotated'])
    expect(of(B)).toEqual(['key.first_seen', 'key.signature_invalid'])
    expect((await notifications(env)).channels.webhook.pending).toBe(0)
    await sweep(env, t0 + 60 * MINUTE)
    expect(await receiver.requests('/hook')).toHaveLength(4)
    expect((await receiver.requests('/slack')).length).toBeGreaterThanOrEqual(1)
  })
})
