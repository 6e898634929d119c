/** @module Channels per label: each customer's Slack and webhook get exactly their own numbers' events; the defaults get all. */
import { reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { routeEvent } from '../../src/notify/routing'
import { parseConfig } from '../../src/config'
import type { Env } from '../../src/env'
import { Account } from '../support/kaleyra'
import { forgetIsolateCache, operator, request, tick } from '../support/worker'
import { Receiver, channelEnv, slackText, verify } from './helpers'

const account = new Account('HXLABELROUTE1IN', 'label-route-api-key')
const receiver = new Receiver('/label-routing')
const ACME_SECRET = 'whsec_QWNtZUN1c3RvbWVyU2VjcmV0S2V5MTIzNDU2Nzg='
const GLOBEX_SECRET = 'whsec_R2xvYmV4Q3VzdG9tZXJTZWNyZXRLZXk5ODc2NTQ='

const ACME = '+919870100001'
const GLOBEX = '+919870100002'
const BOTH = '+919870100003'
const NONE = '+919870100004'
const LABELS: Record<string, string[]> = { [ACME]: ['acme'], [GLOBEX]: ['globex-eu'], [BOTH]: ['acme', 'globex-eu'], [NONE]: [] }

function env(): Env {
  return channelEnv(account, receiver, {
    WATCH_NUMBERS: '',
    SLACK_WEBHOOK_URL_ACME: receiver.url('/slack-acme'),
    WEBHOOK_URL_ACME: receiver.url('/hook-acme'),
    WEBHOOK_SECRET_ACME: ACME_SECRET,
    SLACK_WEBHOOK_URL_GLOBEX_EU: receiver.url('/slack-globex'),
    WEBHOOK_URL_GLOBEX_EU: receiver.url('/hook-globex'),
    WEBHOOK_SECRET_GLOBEX_EU: GLOBEX_SECRET,
  })
}

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await Promise.all([account.create(), receiver.reset()])
})

describe('routeEvent (pure)', () => {
  const configured = ['webhook', 'slack', 'webhook:acme', 'slack:acme', 'slack:globex_eu'] as const
  it('sends to the defaults and to the channels of the labels the number carries, never another label', () => {
    expect(routeEvent([], configured)).toEqual(['webhook', 'slack'])
    expect(routeEvent(['acme'], configured)).toEqual(['webhook', 'slack', 'webhook:acme', 'slack:acme'])
    expect(routeEvent(['globex-eu'], configured)).toEqual(['webhook', 'slack', 'slack:globex_eu'])
    expect(routeEvent(['acme', 'globex-eu', 'initech'], configured)).toEqual([...configured])
    expect(routeEvent(['acme'], configured, true)).toEqual([])
  })

  it('a label webhook without its own secret is a named problem, and off', () => {
    const { config, problems } = parseConfig({ WEBHOOK_URL_ACME: 'https://hooks.example/acme', WEBHOOK_SECRET: ACME_SECRET } as unknown as Env)
    expect(problems.map((p) => p.name)).toContain('WEBHOOK_SECRET_ACME')
    expect(config.labelChannels.get('ACME')?.webhookSecret).toBeNull()
  })
})

describe('two customers, each with its own Slack and webhook', () => {
  it('get exactly their own numbers; a number with both labels reaches both; one webhook-id per event on every channel', async () => {
    const e = env()
    for (const [phone, labels] of Object.entries(LABELS)) {
      await account.addNumber(phone)
      const put = await request(e, `/v1/numbers/${encodeURIComponent(phone)}`, operator({ method: 'PUT', body: JSON.stringify({ labels }) }))
      expect(put.status).toBe(201)
      expect(await put.json()).toMatchObject({ phone, labels })
    }
    const t0 = Date.now()
    await tick(e, t0)
    await account.rotate(BOTH)
    await tick(e, t0 + 10 * 60_000)

    const hooks = async (path: string, secret: string, min: number) =>
      (await receiver.requests(path, { min, timeoutMs: 5_000 })).map((r) => ({ id: r.headers['webhook-id'], ...verify(r, secret) }))
    const all = await hooks('/hook', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 5)
    const acme = await hooks('/hook-acme', ACME_SECRET, 3)
    const globex = await hooks('/hook-globex', GLOBEX_SECRET, 3)
    expect(new Set(all.map((h) => h.data.phone))).toEqual(new Set([ACME, GLOBEX, BOTH, NONE]))
    expect(all).toHaveLength(5)
    expect(acme.map((h) => `${h.type} ${h.data.phone}`).sort()).toEqual([`key.first_seen ${ACME}`, `key.first_seen ${BOTH}`, `key.rotated ${BOTH}`])
    expect(globex.map((h) => `${h.type} ${h.data.phone}`).sort()).toEqual([`key.first_seen ${GLOBEX}`, `key.first_seen ${BOTH}`, `key.rotated ${BOTH}`])
    // The same event carries the same webhook-id wherever it goes.
    const rotated = [...all, ...acme, ...globex].filter((h) => h.type === 'key.rotated')
    expect(rotated).toHaveLength(3)
    expect(new Set(rotated.map((h) => h.id)).size).toBe(1)

    const slack = async (path: string) => (await receiver.requests(path)).map(slackText).join('\n')
    const acmeSlack = await slack('/slack-acme')
    const globexSlack = await slack('/slack-globex')
    expect(acmeSlack).toContain(ACME)
    expect(acmeSlack).toContain(BOTH)
    expect(acmeSlack).not.toContain(GLOBEX)
    expect(acmeSlack).not.toContain(NONE)
    expect(globexSlack).toContain(GLOBEX)
    expect(globexSlack).not.toContain(ACME)
    expect(globexSlack).not.toContain(NONE)
    expect(await slack('/slack')).toContain(NONE)

    // Each channel by name in /v1/status, with its own delivery state.
    const status = (await (await request(e, '/v1/status', operator())).json()) as {
      notifications: { channels: Record<string, { configured: boolean; pending: number; last_success_at: string | null }> }
    }
    expect(Object.keys(status.notifications.channels).sort()).toEqual([
      'slack',
      'slack:acme',
      'slack:globex_eu',
      'webhook',
      'webhook:acme',
      'webhook:globex_eu',
    ])
    for (const channel of Object.values(status.notifications.channels))
      expect(channel).toMatchObject({ configured: true, pending: 0, last_success_at: expect.any(String) })
  })

  it('POST /v1/notify/test pings every channel, each label with its own secret', async () => {
    const res = await request(env(), '/v1/notify/test', operator({ method: 'POST' }))
    const body = (await res.json()) as { ok: boolean; channels: Record<string, { ok: boolean; event_id: string }> }
    expect(body.ok).toBe(true)
    expect(Object.keys(body.channels).sort()).toEqual(['slack', 'slack:acme', 'slack:globex_eu', 'webhook', 'webhook:acme', 'webhook:globex_eu'])
    const [acme] = await receiver.requests('/hook-acme')
    expect(verify(acme, ACME_SECRET).type).toBe('ping')
    expect(() => verify(acme)).toThrow()
    expect(await receiver.requests('/slack-globex')).toHaveLength(1)
  })
})
