/** @module Operator routes: the bearer token, status, check now, and the watch list kept in KV. */
import { reset } from 'cloudflare:test'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Account, kaleyraUrl } from '../support/kaleyra'
import { makeKey } from '../support/keys'
import { forgetIsolateCache, operator, request, testEnv } from '../support/worker'

/** A Kaleyra number's source fields, as every route shows them. */
const KALEYRA = { source: 'kaleyra', account: null, phone_number_id: null, region: null }
const account = new Account('HXOPERATORTEST1IN', 'operator-test-api-key')
const other = new Account('HXOPERATORTEST2EU', 'operator-other-sid-key')
const A = '+919870000001'
const B = '+919870000002'
const OTHER = '+447700900001'

beforeAll(async () => {
  await account.create()
  await other.create()
  await account.addNumber(A, { pem: (await makeKey()).pem })
  await account.addNumber(B, { pem: (await makeKey()).pem })
  await other.addNumber(OTHER, { pem: (await makeKey()).pem })
})
beforeEach(async () => {
  await reset()
  forgetIsolateCache()
})

const env = (vars = {}): ReturnType<typeof testEnv> => testEnv(account, { WATCH_NUMBERS: A, ...vars })
const json = (body: unknown): RequestInit => operator({ method: 'PUT', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })

describe('the operator token', () => {
  it.each([
    ['GET', '/v1/status'],
    ['POST', '/v1/check'],
    ['GET', '/v1/numbers'],
    ['PUT', `/v1/numbers/${B}`],
    ['DELETE', `/v1/numbers/${A}`],
    ['POST', '/v1/notify/test'],
  ])('%s %s answers 401 without it, with a wrong one, and when ADMIN_TOKEN is unset', async (method, path) => {
    for (const [vars, headers] of [
      [{}, {}],
      [{}, { authorization: 'Bearer wrong-token' }],
      [{}, { authorization: 'Basic dGVzdA==' }],
      [{ ADMIN_TOKEN: '' }, { authorization: 'Bearer ' }],
    ] as const) {
      const res = await request(env(vars), path, { method, headers })
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } })
    }
  })
})

describe('POST /v1/check', () => {
  it('runs a check now and answers with the outcomes', async () => {
    const res = await request(env(), '/v1/check', operator({ method: 'POST' }))
    expect(res.status).toBe(200)
    const report = await res.json<{ numbers: { phone: string; outcome: string; kid: string; events: string[] }[] }>()
    expect(report.numbers).toEqual([expect.objectContaining({ phone: A, outcome: 'key', events: ['key.first_seen'] })])
    expect((await request(env(), `/v1/numbers/${A}/jwks.json`)).status).toBe(200)
  })

  it('checks one number with ?phone=, and refuses numbers it does not watch', async () => {
    const both = env({ WATCH_NUMBERS: `${A},${B}` })
    const one = await (await request(both, `/v1/check?phone=${encodeURIComponent(B)}`, operator({ method: 'POST' }))).json<{ numbers: { phone: string }[] }>()
    expect(one.numbers.map((n) => n.phone)).toEqual([B])
    expect((await request(both, '/v1/check?phone=+14155550100', operator({ method: 'POST' }))).status).toBe(404)
    expect((await request(both, '/v1/check?phone=12', operator({ method: 'POST' }))).status).toBe(400)
  })
})

describe('GET /v1/status', () => {
  it('shows every watched number with its last check, outcome, failures and pod', async () => {
    await account.fail('500', 3, A)
    await request(env({ KALEYRA_TIMEOUT_MS: '500' }), '/v1/check', operator({ method: 'POST' }))
    const status = await (await request(env(), '/v1/status', operator())).json<{ numbers: Record<string, unknown>[]; last_run: { checked: number } }>()
    expect(status.last_run.checked).toBe(1)
    expect(status.numbers).toEqual([
      expect.objectContaining({
        phone: A,
        sid: account.sid,
        pod: 'in',
        outcome: 'error',
        consecutive_failures: 1,
        error: expect.objectContaining({ code: 'kaleyra_server_error' }),
      }),
    ])
  })
})

describe('the watch list', () => {
  it('adds a number with its own SID and pod, checks it with that SID, and lists it', async () => {
    const url = kaleyraUrl()
    const e = env({ [`KALEYRA_API_KEY_${other.sid}`]: other.apiKey, KALEYRA_POD_URLS: JSON.stringify({ in: url, sg: url, eu: url, na: url }) })
    let res = await request(e, `/v1/numbers/${encodeURIComponent(OTHER)}`, json({ sid: other.sid, pod: 'eu' }))
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({ phone: OTHER, sid: other.sid, pod: 'eu', warnings: [] })
    res = await request(e, `/v1/numbers/${OTHER.slice(1)}`, json({ sid: other.sid, pod: 'eu' }))
    expect(res.status).toBe(200)
    await request(e, '/v1/check', operator({ method: 'POST' }))
    const key = await (await request(e, `/v1/numbers/${OTHER}/key`)).json<{ pod: string }>()
    expect(key.pod).toBe('eu')
    const list = await (await request(e, '/v1/numbers', operator())).json<{ numbers: unknown[]; next_cursor: string | null }>()
    expect(list.numbers).toEqual([
      { phone: OTHER, ...KALEYRA, sid: other.sid, pod: 'eu', origin: 'operator', endpoint_url: null, labels: [] },
      { phone: A, ...KALEYRA, sid: account.sid, pod: 'in', origin: 'config', endpoint_url: null, labels: [] },
    ])
  })

  it('pages the list with limit and cursor', async () => {
    const e = env({ WATCH_NUMBERS: `${A},${B}` })
    await request(e, `/v1/numbers/${OTHER}`, json({ sid: other.sid }))
    const seen: string[] = []
    let cursor = ''
    for (let i = 0; i < 5; i++) {
      const page = await (
        await request(e, `/v1/numbers?limit=1&cursor=${encodeURIComponent(cursor)}`, operator())
      ).json<{ numbers: { phone: string }[]; next_cursor: string | null; total: number }>()
      expect(page.total).toBe(3)
      seen.push(...page.numbers.map((n) => n.phone))
      if (!page.next_cursor) break
      cursor = page.next_cursor
    }
    expect(seen).toEqual([OTHER, A, B].sort())
  })

  it('refuses a limit that is not 1 to 1000', async () => {
    for (const limit of ['0', 'abc', '1001', '2.5']) {
      const res = await request(env(), `/v1/numbers?limit=${limit}`, operator())
      expect(res.status, limit).toBe(400)
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_request' } })
    }
  })

  it('refuses a bad body with a clear error', async () => {
    for (const [body, message] of [
      ['not json', /not valid JSON/],
      [JSON.stringify([1]), /JSON object/],
      [JSON.stringify({ sid: 'has spaces' }), /sid/],
      [JSON.stringify({ sid: 'HXOK', pod: 'mars' }), /pod/],
    ] as const) {
      const res = await request(env({ KALEYRA_SID: '' }), `/v1/numbers/${B}`, operator({ method: 'PUT', body }))
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringMatching(message) } })
    }
    expect((await request(env(), '/v1/numbers/12', json({ sid: 'X' }))).status).toBe(400)
  })

  it('stops watching a number, WATCH_NUMBERS entries included, and answers 404 for unknown ones', async () => {
    const e = env({ WATCH_NUMBERS: `${A},${B}` })
    await request(e, '/v1/check', operator({ method: 'POST' }))
    expect((await request(e, `/v1/numbers/${A}`, operator({ method: 'DELETE' }))).status).toBe(200)
    expect((await request(e, `/v1/numbers/${A}/jwks.json`)).status).toBe(404)
    const jwks = await (await request(e, '/.well-known/jwks.json')).json<{ keys: unknown[] }>()
    expect(jwks.keys).toHaveLength(1)
    const report = await (await request(e, '/v1/check', operator({ method: 'POST' }))).json<{ numbers: { phone: string }[] }>()
    expect(report.numbers.map((n) => n.phone)).toEqual([B])
    expect((await request(e, `/v1/numbers/${A}`, operator({ method: 'DELETE' }))).status).toBe(404)
    // Watching it again brings it back.
    expect((await request(e, `/v1/numbers/${A}`, json({}))).status).toBe(201)
  })

  it('warns when a number is added for a SID without an API key', async () => {
    const res = await request(
      env({ KALEYRA_API_KEY: '', [`KALEYRA_API_KEY_${account.sid}`]: account.apiKey }),
      `/v1/numbers/${OTHER}`,
      json({ sid: 'HXNOKEY' }),
    )
    expect(await res.json()).toMatchObject({ warnings: [expect.stringMatching(/KALEYRA_API_KEY_HXNOKEY/)] })
  })
})

describe('KALEYRA_POD=auto', () => {
  it('uses the first pod that answers for the account, and remembers it', async () => {
    const e = env({ KALEYRA_POD: 'auto', KALEYRA_POD_URLS: JSON.stringify({ in: 'http://127.0.0.1:9', sg: kaleyraUrl() }) })
    const report = await (await request(e, '/v1/check', operator({ method: 'POST' }))).json<{ numbers: { pod: string; outcome: string }[] }>()
    expect(report.numbers[0]).toMatchObject({ pod: 'sg', outcome: 'key' })
    const status = await (await request(e, '/v1/status', operator())).json<{ numbers: { pod: string; pod_setting: string }[] }>()
    expect(status.numbers[0]).toMatchObject({ pod: 'sg', pod_setting: 'auto' })
  })
})
