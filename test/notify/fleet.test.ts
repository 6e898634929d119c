/** @module A fleet's first run is one Slack message; overlapping runs send each event once. */
import { reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { MAX_SENDS_PER_SWEEP } from '../../src/notify/deliver'
import { Account, control } from '../support/kaleyra'
import { forgetIsolateCache, operator, request, tick } from '../support/worker'
import { Receiver, channelEnv, slackText, verify } from './helpers'
import { rows } from '../support/ledger'

const MINUTE = 60_000

const account = new Account('HXNOTIFYFLEET1IN', 'notify-fleet-api-key')
const receiver = new Receiver('/notify-fleet')
const FLEET = 200

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await Promise.all([account.create(), receiver.reset()])
})

describe('a fleet', () => {
  it(`${FLEET} first-seen numbers make one Slack message, and the webhook gets each event`, async () => {
    const { phones } = await control<{ phones: string[] }>('PUT', '/fleet', { sid: account.sid, prefix: '+9198600', count: FLEET })
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: phones.join(',') })
    const t0 = Date.now()
    await tick(env, t0)

    const slack = await receiver.requests('/slack')
    expect(slack).toHaveLength(1)
    const text = slackText(slack[0])
    expect(JSON.parse(slack[0].body).text).toBe(`flowkey: ${FLEET} key events for ${FLEET} numbers (${FLEET} key first seen)`)
    expect(text).toContain(`Now watching ${FLEET} numbers`)
    expect(text).toContain(`${FLEET - 5} more not shown`)
    expect(text.match(/\+9198600\d{3}/g)?.length).toBeLessThanOrEqual(10)

    // The webhook sends each event on its own, at most MAX_SENDS_PER_SWEEP a sweep; the alarm comes straight back for the rest.
    expect(MAX_SENDS_PER_SWEEP).toBeLessThan(FLEET)
    const hooks = await receiver.requests('/hook', { min: FLEET, timeoutMs: 10_000 })
    expect(hooks).toHaveLength(FLEET)
    const bodies = hooks.map((r) => verify(r))
    expect(new Set(bodies.map((b) => b.data.phone))).toEqual(new Set(phones))
    expect(bodies.every((b) => b.type === 'key.first_seen')).toBe(true)
    expect(await receiver.requests('/slack')).toHaveLength(1)
    expect(await rows('SELECT * FROM outbox WHERE pending = 1')).toEqual([])
  })

  it('a few events are a message each', async () => {
    const phones = ['+919860100001', '+919860100002']
    await Promise.all(phones.map((phone) => account.addNumber(phone)))
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: phones.join(',') })
    const t0 = Date.now()
    await tick(env, t0)
    // Two numbers seen for the first time: still one message for the fleet.
    const first = await receiver.requests('/slack')
    expect(first.map((r) => JSON.parse(r.body).text)).toEqual(['flowkey: 2 key events for 2 numbers (2 key first seen)'])
    await account.rotate(phones[0])
    await account.setStatus(phones[1], 'INVALID')
    await tick(env, t0 + 10 * MINUTE)
    const texts = (await receiver.requests('/slack')).slice(1).map((r) => JSON.parse(r.body).text as string)
    expect(texts).toHaveLength(2)
    expect(texts.sort()).toEqual([
      expect.stringMatching(`^Key rotated for \\${phones[0]}`),
      expect.stringMatching(`^Key signature not valid for \\${phones[1]}`),
    ])
  })
})

describe('overlapping runs', () => {
  it('a cron tick and POST /v1/check at the same time send each event once', async () => {
    const phone = '+919860200001'
    await account.addNumber(phone)
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: phone })
    await Promise.all([tick(env), request(env, '/v1/check', operator({ method: 'POST' }))])
    await account.rotate(phone)
    const [, check] = await Promise.all([tick(env), request(env, '/v1/check', operator({ method: 'POST' })), tick(env)])
    expect(check.status).toBe(200)
    // Deliveries follow on the ledger's alarm: wait for two, then make sure no third comes.
    await receiver.requests('/hook', { min: 2, timeoutMs: 5_000 })
    await new Promise((resolve) => setTimeout(resolve, 300))
    const hooks = (await receiver.requests('/hook')).map((r) => ({ id: r.headers['webhook-id'], type: verify(r).type }))
    expect(hooks.map((h) => h.type)).toEqual(['key.first_seen', 'key.rotated'])
    expect(new Set(hooks.map((h) => h.id)).size).toBe(2)
    expect((await receiver.requests('/slack', { min: 2, timeoutMs: 5_000 })).map((r) => JSON.parse(r.body).text as string)).toEqual([
      expect.stringMatching(/^Key first seen/),
      expect.stringMatching(/^Key rotated/),
    ])
  })
})
