/** @module POST /v1/notify/test: a signed `ping` to every configured channel, behind the operator token. */
import { reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import type { PingResult } from '../../src/notify/ping'
import { Account } from '../support/kaleyra'
import { forgetIsolateCache, operator, request } from '../support/worker'
import { rows } from '../support/ledger'
import { Receiver, channelEnv, slackText, verify } from './helpers'

const account = new Account('HXNOTIFYPING01IN', 'notify-ping-api-key')
const receiver = new Receiver('/notify-ping')

interface PingAnswer {
  ok: boolean
  message?: string
  channels: { webhook: PingResult; slack: PingResult }
}

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await Promise.all([account.create(), receiver.reset()])
})

describe('POST /v1/notify/test', () => {
  it('needs the operator token and sends nothing without it', async () => {
    const env = channelEnv(account, receiver)
    for (const init of [{ method: 'POST' }, { method: 'POST', headers: { authorization: 'Bearer wrong' } }]) {
      const res = await request(env, '/v1/notify/test', init)
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } })
    }
    expect(await receiver.requests('/hook')).toEqual([])
    expect(await receiver.requests('/slack')).toEqual([])
  })

  it("pings every configured channel and answers with each channel's result", async () => {
    const env = channelEnv(account, receiver)
    const res = await request(env, '/v1/notify/test', operator({ method: 'POST' }))
    expect(res.status).toBe(200)
    const answer = await res.json<PingAnswer>()
    expect(answer).toEqual({
      ok: true,
      channels: {
        webhook: { configured: true, ok: true, status: 200, error: null, event_id: expect.stringMatching(/^evt_ping_[0-9a-f]{32}$/) },
        slack: { configured: true, ok: true, status: 200, error: null, event_id: expect.stringMatching(/^evt_ping_/) },
      },
    })
    const [hook] = await receiver.requests('/hook')
    expect(hook.headers['webhook-id']).toBe(answer.channels.webhook.event_id)
    const body = verify(hook)
    expect(body.type).toBe('ping')
    expect(Object.values(body.data).every((v) => v === null)).toBe(true)
    const [slack] = await receiver.requests('/slack')
    expect(slackText(slack)).toContain('flowkey test notification')
    // A ping is not an event: nothing waits in the outbox for it.
    expect(await rows('SELECT event_id FROM outbox')).toEqual([])
  })

  it("reports a channel's failure without retrying it", async () => {
    await receiver.program('/slack', [{ preset: 'channel_not_found' }])
    await receiver.program('/hook', [{ status: 503 }])
    const env = channelEnv(account, receiver)
    const answer = await (await request(env, '/v1/notify/test', operator({ method: 'POST' }))).json<PingAnswer>()
    expect(answer.ok).toBe(false)
    expect(answer.channels.slack).toMatchObject({ configured: true, ok: false, status: 404, error: 'SLACK_WEBHOOK_URL answered 404: channel_not_found' })
    expect(answer.channels.webhook).toMatchObject({ configured: true, ok: false, status: 503, error: 'WEBHOOK_URL answered 503' })
    expect(JSON.stringify(answer)).not.toContain(receiver.url('/slack'))
    expect(await receiver.requests('/hook')).toHaveLength(1)
  })

  it('says so when no channel is configured', async () => {
    const env = channelEnv(account, receiver, { WEBHOOK_URL: '', SLACK_WEBHOOK_URL: '' })
    const answer = await (await request(env, '/v1/notify/test', operator({ method: 'POST' }))).json<PingAnswer>()
    expect(answer).toMatchObject({
      ok: false,
      message: expect.stringContaining('SLACK_WEBHOOK_URL'),
      channels: { webhook: { configured: false }, slack: { configured: false } },
    })
  })
})
