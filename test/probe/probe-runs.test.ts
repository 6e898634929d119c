/** @module The endpoint probe end to end: after each check of a number with an endpoint, on POST /v1/numbers/{phone}/probe, with its events. */
import { reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import type { HistoryEntry } from '../../src/notify/events'
import { FlowEndpoints, closedPortUrl } from '../support/flow-endpoint'
import { Account } from '../support/kaleyra'
import { exportPKCS8, makeKey } from '../support/keys'
import { numberRecord } from '../support/ledger'
import { suiteSweep } from '../support/suite-sweep'
import { forgetIsolateCache, operator, request, testEnv, tick } from '../support/worker'
import { Receiver, channelEnv, slackText, verify } from '../notify/helpers'

const account = new Account('HXPROBERUNS01IN', 'probe-runs-api-key')
const endpoints = new FlowEndpoints('/t/probe-runs')
const receiver = new Receiver('/probe-runs')
const A = '+919870000001'
const TOKEN = 'tok3n-in-the-query-string'
const MINUTE = 60_000

beforeEach(async () => {
  // Set through PUT as well as FLOW_ENDPOINTS: the suite sweep looks for it in every response and log line.
  suiteSweep.addSecrets([TOKEN])
  await reset()
  forgetIsolateCache()
  await Promise.all([account.create(), endpoints.reset(), receiver.reset()])
})

const types = (events: readonly HistoryEntry[]): string[] => events.map((e) => e.type)

/** A number whose Kaleyra key is the public half of the endpoint's private key: a healthy pairing. */
async function pairedNumber(name: string, options: { appSecret?: string | null } = {}): Promise<{ url: string; privatePem: string }> {
  const key = await makeKey()
  const privatePem = await exportPKCS8(key.privateKey)
  await account.addNumber(A, { pem: key.pem })
  await endpoints.put(name, { privateKey: privatePem, appSecret: options.appSecret ?? null })
  return { url: endpoints.url(name, `?token=${TOKEN}`), privatePem }
}

async function status(
  env: ReturnType<typeof testEnv>,
): Promise<{ raw: string; number: { endpoint: { url: string; outcome: string | null; latency_ms: number | null }; attention: string[] } }> {
  const res = await request(env, '/v1/status', operator())
  const raw = await res.text()
  return {
    raw,
    number: (JSON.parse(raw) as { numbers: { endpoint: { url: string; outcome: string | null; latency_ms: number | null }; attention: string[] }[] })
      .numbers[0],
  }
}

describe('after each check', () => {
  it('probes a healthy endpoint with the key the check saw, and shows it ok without the query string', async () => {
    const { url } = await pairedNumber('healthy')
    const env = testEnv(account, { WATCH_NUMBERS: A, FLOW_ENDPOINTS: JSON.stringify({ [A]: url }) })
    await tick(env)
    const calls = await endpoints.calls('healthy')
    expect(calls).toHaveLength(1)
    expect(calls[0].decrypted?.plaintext).toBe('{"version":"3.0","action":"ping"}')
    const { raw, number } = await status(env)
    expect(number.endpoint).toMatchObject({ url: endpoints.url('healthy'), outcome: 'ok' })
    expect(number.attention).toEqual([])
    expect(raw).not.toContain(TOKEN)
    expect(types((await numberRecord(A)).history)).toEqual(['key.first_seen'])
  })

  it('an endpoint redeployed with another private key: endpoint.key_mismatch once, then endpoint.restored', async () => {
    const { url, privatePem } = await pairedNumber('redeployed')
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: A, FLOW_ENDPOINTS: JSON.stringify({ [A]: url }) })
    const t0 = Date.now()
    await tick(env, t0)
    await endpoints.put('redeployed', { privateKey: await exportPKCS8((await makeKey()).privateKey) })
    await tick(env, t0 + 10 * MINUTE)
    await tick(env, t0 + 20 * MINUTE)
    expect(types((await numberRecord(A)).history)).toEqual(['endpoint.key_mismatch', 'key.first_seen'])
    expect((await status(env)).number.attention).toEqual(['endpoint_key_mismatch'])
    await endpoints.put('redeployed', { privateKey: privatePem })
    await tick(env, t0 + 30 * MINUTE)
    expect(types((await numberRecord(A)).history)).toEqual(['endpoint.restored', 'endpoint.key_mismatch', 'key.first_seen'])
    const hooks = (await receiver.requests('/hook', { min: 3 })).map((r) => verify(r))
    const mismatch = hooks.find((h) => h.type === 'endpoint.key_mismatch')
    expect(mismatch?.data.endpoint).toEqual({ url: endpoints.url('redeployed'), outcome: 'key_mismatch', http_status: 421 })
    const slack = (await receiver.requests('/slack')).map(slackText).join('\n')
    expect(slack).toMatch(/421/)
    expect(JSON.stringify(hooks) + slack).not.toContain(TOKEN)
  })

  it('a key rotated at Kaleyra while the endpoint keeps the old private key: key.rotated and endpoint.key_mismatch in one run', async () => {
    const { url } = await pairedNumber('stale')
    const env = testEnv(account, { WATCH_NUMBERS: A, FLOW_ENDPOINTS: JSON.stringify({ [A]: url }) })
    const t0 = Date.now()
    await tick(env, t0)
    await account.rotate(A, (await makeKey()).pem)
    await tick(env, t0 + 10 * MINUTE)
    const history = (await numberRecord(A)).history
    expect(types(history)).toEqual(['endpoint.key_mismatch', 'key.rotated', 'key.first_seen'])
    // In sequence: the rotation, then what it broke.
    expect(history[0].seq).toBe(history[1].seq + 1)
    expect(history[0].data.kid).toBe(history[1].data.kid)
  })

  it('a 432 is inconclusive without an app secret, and a failure with one', async () => {
    const { url } = await pairedNumber('signed', { appSecret: 'meta-app-secret-value' })
    const without = testEnv(account, { WATCH_NUMBERS: A, FLOW_ENDPOINTS: JSON.stringify({ [A]: url }), FAILING_AFTER: '1' })
    const t0 = Date.now()
    await tick(without, t0)
    expect((await status(without)).number).toMatchObject({ endpoint: { outcome: 'signature_rejected' }, attention: [] })
    expect(types((await numberRecord(A)).history)).toEqual(['key.first_seen'])
    const wrong = testEnv(account, { WATCH_NUMBERS: A, FLOW_ENDPOINTS: JSON.stringify({ [A]: url }), FAILING_AFTER: '1', META_APP_SECRET: 'another-secret' })
    await tick(wrong, t0 + 10 * MINUTE)
    expect(types((await numberRecord(A)).history)).toEqual(['endpoint.failing', 'key.first_seen'])
    const right = testEnv(account, {
      WATCH_NUMBERS: A,
      FLOW_ENDPOINTS: JSON.stringify({ [A]: url }),
      FAILING_AFTER: '1',
      META_APP_SECRET: 'meta-app-secret-value',
    })
    await tick(right, t0 + 20 * MINUTE)
    expect(types((await numberRecord(A)).history)).toEqual(['endpoint.restored', 'endpoint.failing', 'key.first_seen'])
    const [call] = (await endpoints.calls('signed')).slice(-1)
    expect(call.signature).toBe('valid')
  })

  it('a refused endpoint counts toward endpoint.failing, and the served key stays as it was', async () => {
    await account.addNumber(A, { pem: (await makeKey()).pem })
    const env = testEnv(account, { WATCH_NUMBERS: A, FLOW_ENDPOINTS: JSON.stringify({ [A]: `${closedPortUrl()}/data` }), FAILING_AFTER: '2' })
    const t0 = Date.now()
    await tick(env, t0)
    const before = await (await request(env, `/v1/numbers/${A}/jwks.json`)).text()
    await tick(env, t0 + 10 * MINUTE)
    expect(types((await numberRecord(A)).history)).toEqual(['endpoint.failing', 'key.first_seen'])
    expect((await status(env)).number).toMatchObject({ endpoint: { outcome: 'unreachable' }, attention: ['endpoint_failing'] })
    expect(await (await request(env, `/v1/numbers/${A}/jwks.json`)).text()).toBe(before)
  })
})

describe('POST /v1/numbers/{phone}/probe', () => {
  it('probes now, answers the outcome with its detail, and records it', async () => {
    const { url } = await pairedNumber('on-demand')
    const env = testEnv(account, { WATCH_NUMBERS: A })
    expect((await request(env, `/v1/numbers/${A}/probe`, operator({ method: 'POST' }))).status).toBe(404)
    await request(env, `/v1/numbers/${A}`, operator({ method: 'PUT', body: JSON.stringify({ endpoint_url: url }) }))
    const none = await request(env, `/v1/numbers/${A}/probe`, operator({ method: 'POST' }))
    expect(await none.json()).toMatchObject({ error: { code: 'no_key' } })
    await request(env, `/v1/check?phone=${encodeURIComponent(A)}`, operator({ method: 'POST' }))
    const res = await request(env, `/v1/numbers/${A}/probe`, operator({ method: 'POST' }))
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).not.toContain(TOKEN)
    const body = JSON.parse(text) as Record<string, unknown>
    expect(body).toMatchObject({ phone: A, outcome: 'ok', http_status: 200, kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), advice: expect.any(String) })
    expect(typeof body.latency_ms).toBe('number')
    expect((await request(env, `/v1/numbers/${A}/probe`, { method: 'POST' })).status).toBe(401)
    await endpoints.put('on-demand', { mode: '421' })
    const broken = await (await request(env, `/v1/numbers/${A}/probe`, operator({ method: 'POST' }))).json<{ outcome: string; events: string[] }>()
    expect(broken).toMatchObject({ outcome: 'key_mismatch', events: ['endpoint.key_mismatch'] })
  })

  it('refuses an endpoint URL that is not https (or loopback http) with a 400 that does not show its query', async () => {
    const env = testEnv(account, { WATCH_NUMBERS: A })
    const res = await request(
      env,
      `/v1/numbers/${A}`,
      operator({ method: 'PUT', body: JSON.stringify({ endpoint_url: `http://flows.example.com/data?token=${TOKEN}` }) }),
    )
    expect(res.status).toBe(400)
    const text = await res.text()
    expect(text).toContain('invalid_request')
    expect(text).not.toContain(TOKEN)
  })
})
