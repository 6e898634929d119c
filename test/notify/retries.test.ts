/** @module At least once: retries on the run's clock with one webhook-id, Retry-After, permanent refusals and give-ups visible in /v1/status, order per number after an outage. */
import { reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import type { ChannelView, NotificationsView } from '../../src/http/handlers/notifications'
import { GIVE_UP_AFTER_MS } from '../../src/notify/schedule'
import { Account } from '../support/kaleyra'
import { forgetIsolateCache, operator, request, tick } from '../support/worker'
import { MINUTE, Receiver, WEBHOOK_SECRET, channelEnv, verify } from './helpers'

const account = new Account('HXNOTIFYRETRY1IN', 'notify-retries-api-key')
const receiver = new Receiver('/notify-retries')
const A = '+919850000001'
const B = '+919850000002'

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await Promise.all([account.create(), receiver.reset()])
})

async function notifications(env: ReturnType<typeof channelEnv>): Promise<NotificationsView & { raw: string }> {
  const res = await request(env, '/v1/status', operator())
  expect(res.status).toBe(200)
  const raw = await res.text()
  return { ...(JSON.parse(raw) as { notifications: NotificationsView }).notifications, raw }
}

describe('retries', () => {
  it('a receiver that answers 500 three times gets the event once more, with the same webhook-id, as the run clock advances', async () => {
    await account.addNumber(A)
    await receiver.program('/hook', [{ status: 500, count: 3 }])
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: A })
    const t0 = Date.now()
    await tick(env, t0)
    expect(await receiver.requests('/hook')).toHaveLength(1)
    // The first retry waits a minute on the run's clock: a run 30 s later leaves it alone.
    await tick(env, t0 + 30_000)
    expect(await receiver.requests('/hook')).toHaveLength(1)
    let view = await notifications(env)
    expect(view.channels.webhook).toMatchObject({ pending: 1, last_error: 'WEBHOOK_URL answered 500', failed: [] })
    expect(view.channels.webhook.next_attempt_at).toBe(new Date(t0 + MINUTE).toISOString())

    for (let i = 1; i <= 4; i++) await tick(env, t0 + i * 10 * MINUTE)
    const hooks = await receiver.requests('/hook')
    expect(hooks).toHaveLength(4)
    expect(new Set(hooks.map((r) => r.headers['webhook-id'])).size).toBe(1)
    expect(new Set(hooks.map((r) => r.body)).size).toBe(1)
    for (const hook of hooks) expect(verify(hook).type).toBe('key.first_seen')
    expect(await receiver.requests('/slack')).toHaveLength(1)
    view = await notifications(env)
    expect(view.channels.webhook).toMatchObject({ pending: 0, failed: [] })
    expect(view.channels.webhook.last_success_at).toBe(new Date(t0 + 30 * MINUTE).toISOString())
  })

  it("honours Slack's 429 Retry-After on the run's clock", async () => {
    await account.addNumber(A)
    await receiver.program('/slack', [{ preset: 'rate_limited', headers: { 'retry-after': '300' } }])
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: A })
    const t0 = Date.now()
    await tick(env, t0)
    // Backoff alone would retry after a minute; Slack asked for five.
    await tick(env, t0 + 2 * MINUTE)
    expect(await receiver.requests('/slack')).toHaveLength(1)
    expect((await notifications(env)).channels.slack.last_error).toBe('SLACK_WEBHOOK_URL answered 429: rate_limited')
    await tick(env, t0 + 5 * MINUTE)
    const slack = await receiver.requests('/slack')
    expect(slack).toHaveLength(2)
    expect(slack[1].body).toBe(slack[0].body)
  })

  it('5xx, 408 and refused connections are retried; the receiver is tried once per run while it fails', async () => {
    await account.addNumber(A)
    await receiver.program('/hook', [{ status: 503 }, { status: 408 }, { preset: 'down' }])
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: A })
    const t0 = Date.now()
    for (let i = 0; i < 4; i++) await tick(env, t0 + i * 10 * MINUTE)
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
    for (let i = 0; i < 3; i++) await tick(env, t0 + i * 10 * MINUTE)
    expect(await receiver.requests('/hook')).toHaveLength(1)
    expect(await receiver.requests('/slack')).toHaveLength(1)
    const view = await notifications(env)
    const webhook: ChannelView = view.channels.webhook
    expect(webhook).toMatchObject({ configured: true, pending: 0, failed_total: 1, last_error: 'WEBHOOK_URL answered 400: unknown event type' })
    expect(webhook.failed).toEqual([{
      event_id: expect.stringMatching(/^evt_/), type: 'key.first_seen', phone: A, at: new Date(t0).toISOString(),
      attempts: 1, last_status: 400, error: 'WEBHOOK_URL answered 400: unknown event type',
    }])
    expect(view.channels.slack.failed).toEqual([expect.objectContaining({ type: 'key.first_seen', last_status: 400, error: 'SLACK_WEBHOOK_URL answered 400: invalid_payload' })])
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
    expect((await notifications(env)).channels.webhook.failed).toEqual([expect.objectContaining({ last_status: 301, error: expect.stringContaining('does not follow') })])
  })

  it('gives up after a day of failures, records a dead letter, and delivers what comes after', async () => {
    await account.addNumber(A)
    await receiver.program('/hook', [{ status: 502, count: 100 }])
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: A })
    const t0 = Date.now()
    for (const hours of [0, 1, 3, 7, 15, 23]) await tick(env, t0 + hours * 60 * MINUTE)
    expect((await notifications(env)).channels.webhook).toMatchObject({ pending: 1, failed: [] })
    await tick(env, t0 + GIVE_UP_AFTER_MS)
    const view = await notifications(env)
    expect(view.channels.webhook).toMatchObject({ pending: 0, failed_total: 1 })
    expect(view.channels.webhook.failed[0]).toMatchObject({ type: 'key.first_seen', attempts: 7, last_status: 502, error: 'gave up after 7 attempts over 24 h; last: WEBHOOK_URL answered 502' })
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
    await tick(withoutSlack, t0 + 60 * MINUTE)
    expect((await notifications(withoutSlack)).channels.slack).toMatchObject({ configured: false, pending: 1, failed: [] })
    await tick(withoutSlack, t0 + GIVE_UP_AFTER_MS)
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

describe('a receiver down for an hour', () => {
  it('gets every event afterwards, each once, in order per number', async () => {
    await Promise.all([account.addNumber(A), account.addNumber(B)])
    await receiver.program('/hook', [{ preset: 'down', count: 1000 }])
    await receiver.program('/slack', [{ preset: 'down', count: 1000 }])
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: `${A},${B}` })
    // The runs happened two hours ago, so /v1/status (on the request's clock) sees the backlog's true age.
    const t0 = Date.now() - 120 * MINUTE
    const acts = [
      async () => undefined,
      () => account.rotate(A),
      () => account.setStatus(B, 'INVALID'),
      () => account.rotate(A),
      () => account.setStatus(B, 'VALID'),
      async () => undefined,
    ]
    const attempts = { hook: 0, slack: 0 }
    for (const [i, act] of acts.entries()) {
      await act()
      await tick(env, t0 + i * 10 * MINUTE)
      // While down, each channel costs at most one attempt per run, not one per event.
      for (const path of ['hook', 'slack'] as const) {
        const count = (await receiver.requests(`/${path}`)).length
        expect(count - attempts[path], `${path} attempts in run ${i}`).toBeLessThanOrEqual(1)
        attempts[path] = count
      }
    }
    expect(attempts.hook).toBeGreaterThanOrEqual(5)
    const during = await notifications(env)
    expect(during.channels.webhook.pending).toBe(6)
    expect(Math.abs(during.channels.webhook.oldest_pending_age_s! - (Date.now() - t0) / 1000)).toBeLessThan(5)

    // Back up: runs every minute from here, so events whose retry falls due at different times go out at
    // different runs, and a number's later events must wait for its first.
    await receiver.reset()
    for (let minute = 51; minute <= 60; minute++) await tick(env, t0 + minute * MINUTE)
    const delivered = (await receiver.requests('/hook')).map((r) => ({ id: r.headers['webhook-id'], ...verify(r) }))
    expect(new Set(delivered.map((d) => d.id)).size).toBe(delivered.length)
    const of = (phone: string): string[] => delivered.filter((d) => d.data.phone === phone).map((d) => d.type)
    expect(of(A)).toEqual(['key.first_seen', 'key.rotated', 'key.rotated'])
    expect(of(B)).toEqual(['key.first_seen', 'key.signature_invalid', 'key.signature_restored'])
    // Slack's backlog fell due in one run: six events there are one summary, not six messages.
    const slack = await receiver.requests('/slack')
    expect(slack).toHaveLength(1)
    expect(JSON.parse(slack[0].body).text).toBe('flowkey: 6 key events for 2 numbers (2 key first seen, 2 key rotated, 1 key signature not valid, 1 key signature valid again)')
    expect(await notifications(env)).toMatchObject({ outbox: { events: 0 } })
    await tick(env, t0 + 70 * MINUTE)
    expect(await receiver.requests('/hook')).toHaveLength(6)
  })
})
