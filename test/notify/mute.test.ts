/** @module Mute: a muted broken number is checked and recorded but silent, keeps ?strict=1 green, and its problem is delivered once when the mute ends. */
import { reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Env } from '../../src/env'
import { Account } from '../support/kaleyra'
import { numberRecord } from '../support/ledger'
import { forgetIsolateCache, operator, request, sweep, tick } from '../support/worker'
import { MINUTE, Receiver, channelEnv, verify } from './helpers'

const account = new Account('HXMUTETEST01IN', 'mute-test-api-key')
const receiver = new Receiver('/mute')
const PHONE = '+919870200001'
const OTHER = '+919870200002'
const path = `/v1/numbers/${encodeURIComponent(PHONE)}/mute`

const env = (): Env =>
  channelEnv(account, receiver, {
    WATCH_NUMBERS: `${PHONE},${OTHER}`,
    FAILING_AFTER: '1',
    SLACK_WEBHOOK_URL_ACME: receiver.url('/slack-acme'),
  })

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await Promise.all([account.create(), receiver.reset()])
  await account.addNumber(PHONE)
  await account.addNumber(OTHER)
})

const mute = (e: Env, until: string, reason = 'customer offboarding'): Promise<Response> =>
  request(e, path, operator({ method: 'PUT', body: JSON.stringify({ until, reason }) }))
const hookTypes = async (): Promise<string[]> => (await receiver.requests('/hook')).map((r) => `${verify(r).type} ${verify(r).data.phone}`)
const historyTypes = async (): Promise<string[]> => (await numberRecord(PHONE)).history.map((e) => e.type)

async function statusOf(e: Env): Promise<{ attention: string[]; muted: { until: string; reason: string } | null; outcome: string }> {
  const body = (await (await request(e, '/v1/status', operator())).json()) as {
    numbers: { phone: string; attention: string[]; muted: null; outcome: string }[]
  }
  const found = body.numbers.find((n) => n.phone === PHONE)
  if (!found) throw new Error('not in /v1/status')
  return found
}

/** A healthy first run with every first sighting delivered, then the number labelled acme. */
async function start(e: Env, t0: number): Promise<void> {
  await tick(e, t0)
  expect(await hookTypes()).toHaveLength(2)
  await request(e, `/v1/numbers/${encodeURIComponent(PHONE)}`, operator({ method: 'PUT', body: JSON.stringify({ labels: ['acme'] }) }))
  await receiver.reset()
}

describe('a muted broken number', () => {
  it('is recorded but silent on every channel, green under ?strict=1, and its check.failing is delivered once at DELETE', async () => {
    const e = env()
    const t0 = Date.now()
    await start(e, t0)
    const until = new Date(Date.now() + 2 * 60 * MINUTE).toISOString()
    const muted = await mute(e, until)
    expect(muted.status).toBe(200)
    expect(await muted.json()).toMatchObject({ phone: PHONE, muted: { until, reason: 'customer offboarding' } })

    await account.fail('401', 1000, PHONE)
    await tick(e, t0 + 10 * MINUTE)
    await tick(e, t0 + 20 * MINUTE)
    // Recorded in history and /v1/status; sent nowhere; and it counts for no ?strict=1.
    expect(await historyTypes()).toEqual(['check.failing', 'number.muted', 'key.first_seen'])
    expect(await statusOf(e)).toMatchObject({ outcome: 'error', attention: [], muted: { until, reason: 'customer offboarding' } })
    expect(await receiver.requests('/hook')).toEqual([])
    expect(await receiver.requests('/slack')).toEqual([])
    expect(await receiver.requests('/slack-acme')).toEqual([])
    expect((await request(e, '/healthz?strict=1')).status).toBe(200)
    const page = await (await request(e, `/numbers/${encodeURIComponent(PHONE)}`)).text()
    expect(page).toContain('Muted')
    expect(page).toContain('(customer offboarding)')
    expect(await (await request(e, '/')).text()).toContain('(customer offboarding)')

    expect((await request(e, path, operator({ method: 'DELETE' }))).status).toBe(204)
    await sweep(e, t0 + 21 * MINUTE)
    expect(await hookTypes()).toEqual([`check.failing ${PHONE}`])
    expect(await receiver.requests('/slack-acme', { min: 1 })).toHaveLength(1)
    expect(await receiver.requests('/slack')).toHaveLength(1)
    expect((await numberRecord(PHONE)).history[0]).toMatchObject({ type: 'number.unmuted', mute: { reason: 'customer offboarding', ended: 'unmuted' } })
    expect((await request(e, '/healthz?strict=1')).status).toBe(503)

    // Once: the next run, still failing, sends nothing more for it.
    await tick(e, t0 + 30 * MINUTE)
    expect(await hookTypes()).toEqual([`check.failing ${PHONE}`])
    expect(await statusOf(e)).toMatchObject({ attention: ['check_failing'], muted: null })
  })
})

describe('a mute that runs out', () => {
  it('ends at the first run after until, with a history note, and the problem held during it is delivered once', async () => {
    const e = env()
    const t0 = Date.now()
    await start(e, t0)
    expect((await mute(e, new Date(Date.now() + 15 * MINUTE).toISOString(), 'planned key change')).status).toBe(200)
    await account.setEnabled(false)
    await tick(e, t0 + 10 * MINUTE)
    expect((await hookTypes()).filter((t) => t.endsWith(PHONE))).toEqual([])
    expect((await statusOf(e)).muted).not.toBeNull()

    await tick(e, t0 + 20 * MINUTE)
    const history = (await numberRecord(PHONE)).history
    expect(history[0]).toMatchObject({ type: 'number.unmuted', mute: { reason: 'planned key change', ended: 'expired' } })
    expect((await hookTypes()).filter((t) => t.endsWith(PHONE))).toEqual([`check.failing ${PHONE}`])
    expect(await statusOf(e)).toMatchObject({ attention: ['check_failing'], muted: null })
    await tick(e, t0 + 30 * MINUTE)
    expect((await hookTypes()).filter((t) => t.endsWith(PHONE))).toEqual([`check.failing ${PHONE}`])
  })

  it('a number that recovered during its mute sends nothing when it ends', async () => {
    const e = env()
    const t0 = Date.now()
    await start(e, t0)
    await mute(e, new Date(Date.now() + 25 * MINUTE).toISOString())
    await account.setEnabled(false)
    await tick(e, t0 + 10 * MINUTE)
    await account.setEnabled(true)
    await tick(e, t0 + 20 * MINUTE)
    await tick(e, t0 + 30 * MINUTE)
    expect((await historyTypes()).slice(0, 3)).toEqual(['number.unmuted', 'check.recovered', 'check.failing'])
    expect((await hookTypes()).filter((t) => t.endsWith(PHONE))).toEqual([])
  })
})

describe('PUT and DELETE /v1/numbers/{phone}/mute', () => {
  it('refuse a bad until with 400, an unwatched number with 404, and DELETE is 204 muted or not', async () => {
    const e = env()
    const now = Date.now()
    for (const until of [new Date(now - MINUTE).toISOString(), new Date(now + 31 * 24 * 60 * MINUTE).toISOString(), 'tomorrow', '']) {
      const res = await mute(e, until)
      expect(res.status, until).toBe(400)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_request')
    }
    const unknown = await request(
      e,
      '/v1/numbers/+14155550100/mute',
      operator({ method: 'PUT', body: JSON.stringify({ until: new Date(now + MINUTE * 60).toISOString() }) }),
    )
    expect(unknown.status).toBe(404)
    expect((await request(e, path, operator({ method: 'DELETE' }))).status).toBe(204)
    expect((await request(e, path, { method: 'DELETE' })).status).toBe(401)
  })
})
