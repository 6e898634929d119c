/** @module Labels on numbers: PUT keeps them when omitted and [] removes them; the import takes them (JSON, and CSV separated by |); bad ones are 400 naming the entry. */
import { reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { Account } from '../support/kaleyra'
import { forgetIsolateCache, operator, request, testEnv, tick } from '../support/worker'

const account = new Account('HXLABELS0001IN', 'labels-test-api-key')
const env = () => testEnv(account, { WATCH_NUMBERS: '' })
const A = '+919870300001'
const B = '+919870300002'

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
})

const put = (phone: string, body: unknown) =>
  request(env(), `/v1/numbers/${encodeURIComponent(phone)}`, operator({ method: 'PUT', body: JSON.stringify(body) }))
async function listed(): Promise<Record<string, string[]>> {
  const body = (await (await request(env(), '/v1/numbers', operator())).json()) as { numbers: { phone: string; labels: string[] }[] }
  return Object.fromEntries(body.numbers.map((n) => [n.phone, n.labels]))
}

describe('labels', () => {
  it('PUT sets them, keeps them when omitted, [] removes them; GET /v1/numbers and /v1/status show them', async () => {
    expect((await put(A, { labels: ['acme', 'eu-west'] })).status).toBe(201)
    expect(await listed()).toEqual({ [A]: ['acme', 'eu-west'] })
    const kept = await put(A, { pod: 'in' })
    expect(await kept.json()).toMatchObject({ labels: ['acme', 'eu-west'] })
    expect(await listed()).toEqual({ [A]: ['acme', 'eu-west'] })
    const status = (await (await request(env(), '/v1/status', operator())).json()) as { numbers: { labels: string[] }[] }
    expect(status.numbers[0].labels).toEqual(['acme', 'eu-west'])
    expect((await put(A, { labels: [] })).status).toBe(200)
    expect(await listed()).toEqual({ [A]: [] })
  })

  it('refuses a bad label with 400 invalid_request saying which', async () => {
    for (const labels of [['Acme'], ['a b'], ['x'.repeat(33)], [''], Array.from({ length: 11 }, (_, i) => `l${i}`), 'acme', [3]]) {
      const res = await put(A, { labels })
      expect(res.status, JSON.stringify(labels)).toBe(400)
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'invalid_request',
        message: expect.stringContaining('labels'),
      })
    }
  })

  it('the import takes labels as a JSON array and as a CSV column separated by |, and names the bad entry', async () => {
    const json = await request(
      env(),
      '/v1/numbers',
      operator({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ numbers: [{ phone: A, labels: ['acme'] }] }) }),
    )
    expect(json.status).toBe(200)
    const csv = `phone,labels\n${B},acme|globex\n${A},\n`
    const res = await request(env(), '/v1/numbers', operator({ method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv }))
    expect(res.status).toBe(200)
    // An empty cell is a field not given: A keeps its label.
    expect(await listed()).toEqual({ [A]: ['acme'], [B]: ['acme', 'globex'] })
    const bad = await request(
      env(),
      '/v1/numbers',
      operator({ method: 'POST', headers: { 'content-type': 'text/csv' }, body: `phone,labels\n${A},ok\n${B},Not Ok\n` }),
    )
    expect(bad.status).toBe(400)
    const error = ((await bad.json()) as { error: { entries: { index: number; phone: string; line?: number; message: string }[] } }).error
    expect(error.entries).toEqual([{ index: 1, phone: B, line: 3, message: expect.stringContaining('"Not Ok" is not a label') }])
  })
})

describe('?label=', () => {
  it('narrows /v1/numbers, /v1/status, /healthz (strict too) and the page to one customer; an unknown label is an empty view', async () => {
    const e = testEnv(account, { WATCH_NUMBERS: '', FAILING_AFTER: '1' })
    await account.addNumber(A)
    await account.addNumber(B)
    await put(A, { labels: ['acme'] })
    await put(B, { labels: ['globex'] })
    await account.fail('401', 100, B)
    await tick(e)
    const phones = async (path: string): Promise<string[]> =>
      ((await (await request(e, path, operator())).json()) as { numbers: { phone: string }[] }).numbers.map((n) => n.phone)
    expect(await phones('/v1/numbers?label=acme')).toEqual([A])
    expect(await phones('/v1/status?label=globex')).toEqual([B])
    expect(await phones('/v1/status?label=initech')).toEqual([])

    const health = async (query: string): Promise<{ status: number; body: { numbers: number; fleet: { attention: number } } }> => {
      const res = await request(e, `/healthz?${query}`)
      return { status: res.status, body: await res.json() }
    }
    expect(await health('label=acme&strict=1')).toMatchObject({ status: 200, body: { numbers: 1, fleet: { attention: 0 } } })
    expect(await health('label=globex&strict=1')).toMatchObject({ status: 503, body: { numbers: 1, fleet: { attention: 1 } } })
    expect(await health('label=initech&strict=1')).toMatchObject({ status: 200, body: { numbers: 0 } })
    expect((await health('strict=1')).status).toBe(503)

    const page = await (await request(e, '/?label=acme')).text()
    expect(page).toContain('Label <strong>acme</strong>: 1 number.')
    expect(page).toContain(A)
    expect(page).not.toContain(B)
  })
})
