/** @module The watch list through the ledger: concurrent writes all land, DELETE and PUT agree on every route, writes racing a run, the bulk import. */
import { reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { Account } from '../support/kaleyra'
import { makeKey } from '../support/keys'
import { numberRecord } from '../support/ledger'
import { forgetIsolateCache, operator, request, testEnv, tick } from '../support/worker'

const account = new Account('HXLEDGERWATCH1IN', 'ledger-watch-api-key')
const A = '+919880000001'

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
})

const put = (env: ReturnType<typeof testEnv>, phone: string, body: object = {}): Promise<Response> =>
  request(env, `/v1/numbers/${encodeURIComponent(phone)}`, operator({ method: 'PUT', body: JSON.stringify(body) }))

async function listed(env: ReturnType<typeof testEnv>): Promise<string[]> {
  const phones: string[] = []
  let cursor = ''
  for (;;) {
    const page = await (
      await request(env, `/v1/numbers?limit=1000&cursor=${encodeURIComponent(cursor)}`, operator())
    ).json<{ numbers: { phone: string }[]; next_cursor: string | null }>()
    phones.push(...page.numbers.map((n) => n.phone))
    if (!page.next_cursor) return phones
    cursor = page.next_cursor
  }
}

describe('concurrent writers', () => {
  it('200 PUTs at once are all watched afterwards', async () => {
    const env = testEnv(account)
    const phones = Array.from({ length: 200 }, (_, i) => `+9198810${String(i).padStart(5, '0')}`)
    const answers = await Promise.all(phones.map((phone) => put(env, phone)))
    expect(answers.map((r) => r.status)).toEqual(phones.map(() => 201))
    expect(await listed(env)).toEqual([...phones].sort())
  })

  it('PUT and DELETE racing a run: every acknowledged write stands, and the run records what it checked', async () => {
    const phones = Array.from({ length: 30 }, (_, i) => `+9198820${String(i).padStart(5, '0')}`)
    const pem = (await makeKey()).pem
    for (const phone of phones) await account.addNumber(phone, { pem })
    const env = testEnv(account)
    await Promise.all(phones.slice(0, 20).map((phone) => put(env, phone)))
    await account.latency(30)
    // While a run checks the first twenty, ten more are added and five removed.
    const [, adds, deletes] = await Promise.all([
      tick(env),
      Promise.all(phones.slice(20).map((phone) => put(env, phone))),
      Promise.all(phones.slice(0, 5).map((phone) => request(env, `/v1/numbers/${phone}`, operator({ method: 'DELETE' })))),
    ])
    await account.latency(0)
    expect(adds.map((r) => r.status)).toEqual(phones.slice(20).map(() => 201))
    expect(deletes.map((r) => r.status)).toEqual(phones.slice(0, 5).map(() => 200))
    expect(await listed(env)).toEqual(phones.slice(5))
    // The removed ones are not served, whatever the run saw; the next run covers the new ones.
    for (const phone of phones.slice(0, 5)) expect((await request(env, `/v1/numbers/${phone}/key`)).status).toBe(404)
    await tick(env, Date.now() + 600_000)
    for (const phone of phones.slice(5)) expect((await request(env, `/v1/numbers/${phone}/key`)).status, phone).toBe(200)
    const jwks = await (await request(env, '/.well-known/jwks.json')).json<{ keys: unknown[] }>()
    // One key shared by every number: the fleet JWKS holds each kid once.
    expect(jwks.keys).toHaveLength(1)
  })
})

describe('DELETE then PUT', () => {
  it('serves the same key on /key and /jwks.json, at once and with no new event', async () => {
    await account.addNumber(A, { pem: (await makeKey()).pem })
    const env = testEnv(account)
    await put(env, A)
    await tick(env)
    const kid = (await numberRecord(A)).current?.kid
    expect((await request(env, `/v1/numbers/${A}`, operator({ method: 'DELETE' }))).status).toBe(200)
    expect((await request(env, `/v1/numbers/${A}/key`)).status).toBe(404)
    expect((await request(env, `/v1/numbers/${A}/jwks.json`)).status).toBe(404)
    expect((await request(env, `/v1/numbers/${A}/history`)).status).toBe(200)
    expect((await put(env, A)).status).toBe(201)
    const key = await (await request(env, `/v1/numbers/${A}/key`)).json<{ kid: string }>()
    const jwks = await (await request(env, `/v1/numbers/${A}/jwks.json`)).json<{ keys: { kid: string }[] }>()
    expect(key.kid).toBe(kid)
    expect(jwks.keys.map((k) => k.kid)).toEqual([kid])
    expect((await numberRecord(A)).history.map((e) => e.type)).toEqual(['key.first_seen'])
  })
})

describe('bulk import', () => {
  it('adds 10,000 numbers in one JSON request, then answers what changed on a second', async () => {
    const env = testEnv(account)
    const numbers = Array.from({ length: 10_000 }, (_, i) => ({ phone: `+9198900${String(i).padStart(5, '0')}`, sid: `HXBULK${i % 50}`, pod: 'auto' }))
    const res = await request(
      env,
      '/v1/numbers',
      operator({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ numbers }) }),
    )
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ added: 10_000, changed: 0, unchanged: 0 })
    const page = await (await request(env, '/v1/numbers?limit=1', operator())).json<{ total: number }>()
    expect(page.total).toBe(10_000)
    numbers[0].pod = 'in'
    const again = await request(env, '/v1/numbers', operator({ method: 'POST', body: JSON.stringify({ numbers: numbers.slice(0, 3) }) }))
    expect(await again.json()).toEqual({ added: 0, changed: 1, unchanged: 2 })
  })

  it('lists every bad entry and applies nothing, for JSON and for CSV', async () => {
    const env = testEnv(account)
    const numbers = [
      { phone: '+919891000001', sid: account.sid },
      { phone: 'abc', sid: account.sid },
      { phone: '+919891000003', sid: 'bad sid!' },
      { phone: '+919891000004', sid: account.sid, pod: 'mars' },
      { phone: '+919891000001', sid: account.sid },
      { phone: '+919891000006', sid: account.sid, endpoint_url: 'http://flows.example.com/data' },
    ]
    const res = await request(env, '/v1/numbers', operator({ method: 'POST', body: JSON.stringify({ numbers }) }))
    expect(res.status).toBe(400)
    const body = await res.json<{ error: { code: string; message: string; entries: { index: number; phone: string | null; message: string }[] } }>()
    expect(body.error.code).toBe('invalid_request')
    expect(body.error.entries.map((e) => e.index)).toEqual([1, 2, 3, 4, 5])
    expect(body.error.entries[0]).toMatchObject({ phone: 'abc', message: expect.stringContaining('not a phone number') })
    expect(await listed(env)).toEqual([])

    const csv = `phone,sid,pod,endpoint_url\n+919891000001,${account.sid},auto,\n919891000002,${account.sid},in,https://flows.example.com/data\n+1,${account.sid},,\n`
    const bad = await request(env, '/v1/numbers', operator({ method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv }))
    expect(bad.status).toBe(400)
    expect((await bad.json<{ error: { entries: { index: number }[] } }>()).error.entries.map((e) => e.index)).toEqual([2])
    const good = await request(
      env,
      '/v1/numbers',
      operator({ method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv.split('\n').slice(0, 3).join('\n') }),
    )
    expect(await good.json()).toEqual({ added: 2, changed: 0, unchanged: 0 })
    expect(await listed(env)).toEqual(['+919891000001', '+919891000002'])
  })

  it('the first run after an import sees every key', async () => {
    const count = 300
    const { phones } = await (
      await fetch(`${(await import('../support/kaleyra')).kaleyraUrl()}/_emulator/fleet`, {
        method: 'PUT',
        body: JSON.stringify({ sid: account.sid, prefix: '+9198920', count }),
      })
    ).json<{ phones: string[] }>()
    const env = testEnv(account)
    const csv = ['phone,sid,pod,endpoint_url', ...phones.map((p) => `${p},${account.sid},in,`)].join('\n')
    expect((await request(env, '/v1/numbers', operator({ method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv }))).status).toBe(200)
    await tick(env)
    const health = await (await request(env, '/healthz')).json<{ ok: boolean; numbers: number; fleet: { attention: number } }>()
    expect(health).toMatchObject({ ok: true, numbers: count, fleet: { attention: 0 } })
    const jwks = await (await request(env, '/.well-known/jwks.json')).json<{ keys: unknown[] }>()
    // The emulator's fleet shares a pool of eight keys: the fleet JWKS lists each once.
    expect(jwks.keys).toHaveLength(8)
  })
})
