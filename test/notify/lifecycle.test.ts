/** @module Every kind of change reaches both channels exactly once, with the INTERFACE.md body, a verifiable signature and a readable Slack message. */
import { reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import type { FlowkeyEvent } from '../../src/notify/events'
import { Account } from '../support/kaleyra'
import { makeKey } from '../support/keys'
import { forgetIsolateCache, request, tick } from '../support/worker'
import { MINUTE, Receiver, channelEnv, slackText, verify, type Received } from './helpers'

const account = new Account('HXNOTIFYLIFE01IN', 'notify-lifecycle-api-key')
const receiver = new Receiver('/notify-lifecycle')
const PHONE = '+919840000001'
const DATA_FIELDS = [
  'phone',
  'source',
  'sid',
  'pod',
  'kid',
  'previous_kid',
  'spki_sha256',
  'signature_status',
  'previous_signature_status',
  'error',
  'endpoint',
]

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await Promise.all([account.create(), receiver.reset()])
})

/** Runs one cron tick and answers the deliveries it caused on each channel. */
async function step(env: ReturnType<typeof channelEnv>, time: number, seen: { hook: number; slack: number }): Promise<{ hook: Received[]; slack: Received[] }> {
  await tick(env, time)
  const [hook, slack] = await Promise.all([receiver.requests('/hook'), receiver.requests('/slack')])
  const fresh = { hook: hook.slice(seen.hook), slack: slack.slice(seen.slack) }
  seen.hook = hook.length
  seen.slack = slack.length
  return fresh
}

/** Whole events: the operator's view of history (the public one leaves out the SID and the error's text). */
async function history(env: ReturnType<typeof channelEnv>): Promise<FlowkeyEvent[]> {
  const res = await request(env, `/v1/numbers/${PHONE}/history`, { headers: { authorization: 'Bearer test-admin-token' } })
  expect(res.status).toBe(200)
  return (await res.json<{ events: FlowkeyEvent[] }>()).events
}

describe('each event, once, on both channels', () => {
  it('first seen, rotated, signature invalid and restored, removed, failing and recovered', async () => {
    const first = await makeKey()
    await account.addNumber(PHONE, { pem: first.pem })
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: PHONE, FAILING_AFTER: '2' })
    const start = Date.now()
    const seen = { hook: 0, slack: 0 }
    let time = start
    const kids: string[] = []

    const changes: { type: string; act: () => Promise<unknown>; slack: RegExp[] }[] = [
      { type: 'key.first_seen', act: async () => undefined, slack: [/Key first seen/, /Nothing, if your Flow endpoint holds the private key/] },
      {
        type: 'key.rotated',
        act: () => account.rotate(PHONE),
        slack: [/Key rotated/, /\*Old kid\*/, /\*New kid\*/, /Make sure your Flow endpoint holds the private key matching the new kid/],
      },
      {
        type: 'key.signature_invalid',
        act: () => account.setStatus(PHONE, 'INVALID'),
        slack: [/Key signature not valid/, /`VALID` → `INVALID`/, /Re-upload the business public key through Kaleyra/],
      },
      { type: 'key.signature_restored', act: () => account.setStatus(PHONE, 'VALID'), slack: [/Key signature valid again/, /`INVALID` → `VALID`/] },
      { type: 'key.removed', act: () => account.removeKey(PHONE), slack: [/Key removed/, /Kaleyra holds no business encryption key/] },
      { type: 'check.failing', act: () => account.setEnabled(false), slack: [/Key checks failing/, /`kaleyra_\w+`/, /\*Error\*/] },
      { type: 'check.recovered', act: () => account.setEnabled(true), slack: [/Key checks recovered/] },
    ]

    for (const change of changes) {
      await change.act()
      let fresh = await step(env, time, seen)
      time += 10 * MINUTE
      if (change.type === 'check.failing') {
        // FAILING_AFTER=2: the first failed check says nothing yet.
        expect(fresh).toEqual({ hook: [], slack: [] })
        fresh = await step(env, time, seen)
        time += 10 * MINUTE
      }
      const [event] = await history(env)
      expect(event.type).toBe(change.type)
      if (event.data.kid) kids.push(event.data.kid)

      expect(fresh.hook, `${change.type} to the webhook`).toHaveLength(1)
      const [hook] = fresh.hook
      expect(hook.method).toBe('POST')
      expect(hook.headers['content-type']).toBe('application/json')
      expect(hook.headers['webhook-id']).toBe(event.id)
      const body = verify(hook)
      expect(Object.keys(body)).toEqual(['type', 'timestamp', 'data'])
      expect(Object.keys(body.data)).toEqual(DATA_FIELDS)
      expect(body).toEqual({ type: event.type, timestamp: event.timestamp, data: event.data })
      expect(body.data).toMatchObject({ phone: PHONE, sid: account.sid, pod: 'in' })
      // Signed with the real time of the attempt, not the run's clock, so receivers' replay windows accept it.
      expect(Math.abs(Number(hook.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60)

      expect(fresh.slack, `${change.type} to Slack`).toHaveLength(1)
      const text = slackText(fresh.slack[0])
      expect(text).toContain(PHONE)
      expect(text).toContain('`in`')
      for (const pattern of change.slack) expect(text).toMatch(pattern)
      if (event.data.kid) expect(text).toContain(event.data.kid.slice(0, 10))
      if (event.data.previous_kid) expect(text).toContain(event.data.previous_kid.slice(0, 10))
      if (event.data.error) expect(text).toContain(event.data.error.code)
    }

    // The payloads carried what happened: a rotation names both keys, a removal the one that went.
    const all = (await receiver.requests('/hook')).map((r) => verify(r))
    expect(all.map((b) => b.type)).toEqual(changes.map((c) => c.type))
    const [firstSeen, rotated, invalid, restored, removed, failing, recovered] = all.map((b) => b.data)
    expect(firstSeen).toMatchObject({ previous_kid: null, signature_status: 'VALID', error: null })
    expect(firstSeen.spki_sha256).toMatch(/^[A-Za-z0-9+/]{43}=$/)
    expect(rotated).toMatchObject({ previous_kid: firstSeen.kid, previous_signature_status: 'VALID' })
    expect(rotated.kid).not.toBe(firstSeen.kid)
    expect(invalid).toMatchObject({ kid: rotated.kid, signature_status: 'INVALID', previous_signature_status: 'VALID' })
    expect(restored).toMatchObject({ kid: rotated.kid, signature_status: 'VALID', previous_signature_status: 'INVALID' })
    expect(removed).toMatchObject({ kid: null, previous_kid: rotated.kid })
    expect(failing.error).toMatchObject({ code: expect.stringMatching(/^kaleyra_/), message: expect.any(String) })
    expect(recovered.error).toEqual(failing.error)

    // Anyone may read history: without the token, no SID and of an error only its code.
    const open = await (await request(env, `/v1/numbers/${PHONE}/history`)).json<{ events: FlowkeyEvent[] }>()
    expect(open.events.map((e) => e.type)).toEqual([...changes.map((c) => c.type)].reverse())
    for (const event of open.events) expect(event.data.sid).toBeNull()
    expect(open.events.find((e) => e.type === 'check.failing')?.data.error).toEqual({ code: failing.error && (failing.error as { code: string }).code })

    // A quiet run afterwards sends nothing more.
    expect(await step(env, time, seen)).toEqual({ hook: [], slack: [] })
    const status = await request(env, '/v1/status', { headers: { authorization: 'Bearer test-admin-token' } })
    const view = (await status.json<{ notifications: { channels: Record<string, { pending: number; last_success_at: string | null; failed: unknown[] }> } }>())
      .notifications
    for (const channel of ['webhook', 'slack']) {
      expect(view.channels[channel]).toMatchObject({ pending: 0, failed: [] })
      expect(view.channels[channel].last_success_at).not.toBeNull()
    }
  })

  it('without any channel, events stay in history and nothing fails', async () => {
    await account.addNumber(PHONE)
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: PHONE, WEBHOOK_URL: '', WEBHOOK_SECRET: '', SLACK_WEBHOOK_URL: '' })
    await tick(env)
    await account.rotate(PHONE)
    await tick(env, Date.now() + 10 * MINUTE)
    expect((await history(env)).map((e) => e.type)).toEqual(['key.rotated', 'key.first_seen'])
    expect(await receiver.requests('/hook')).toEqual([])
    expect(await receiver.requests('/slack')).toEqual([])
    const status = await request(env, '/v1/status', { headers: { authorization: 'Bearer test-admin-token' } })
    expect(status.status).toBe(200)
    const { notifications } = await status.json<{ notifications: { channels: Record<string, { configured: boolean; pending: number }> } }>()
    expect(notifications.channels.webhook).toMatchObject({ configured: false, pending: 0 })
    expect(notifications.channels.slack).toMatchObject({ configured: false, pending: 0 })
  })
})
