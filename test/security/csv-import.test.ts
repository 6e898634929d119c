/** @module POST /v1/numbers with text/csv as spreadsheets write it: RFC 4180 through the worker, all or nothing, bad rows named by file line, echoes clipped. */
import { reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { Account } from '../support/kaleyra'
import { forgetIsolateCache, operator, request, testEnv } from '../support/worker'

const account = new Account('HXSECCSV001IN', 'Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc')

interface ImportError {
  error: { code: string; message: string; entries?: { index: number; line?: number; phone: string | null; message: string }[] }
}

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
})

const importCsv = (env: ReturnType<typeof testEnv>, body: string): Promise<Response> =>
  request(env, '/v1/numbers', operator({ method: 'POST', headers: { 'content-type': 'text/csv; charset=utf-8' }, body }))

async function listed(env: ReturnType<typeof testEnv>): Promise<{ phone: string; pod: string; endpoint_url: string | null }[]> {
  return (await (await request(env, '/v1/numbers', operator())).json<{ numbers: { phone: string; pod: string; endpoint_url: string | null }[] }>()).numbers
}

describe('CSV import', () => {
  it('reads a spreadsheet export: BOM, CRLF, quoted fields with commas, columns in any order', async () => {
    const env = testEnv(account)
    const csv = `\uFEFFendpoint_url,Phone,pod,sid\r\n"https://flows.example.com/data?a=1,2",+919892000001,in,${account.sid}\r\n,"919892000002","auto",${account.sid}\r\n`
    const res = await importCsv(env, csv)
    expect(await res.json()).toEqual({ added: 2, changed: 0, unchanged: 0 })
    expect(await listed(env)).toEqual([
      expect.objectContaining({ phone: '+919892000001', pod: 'in', endpoint_url: 'https://flows.example.com/data' }),
      expect.objectContaining({ phone: '+919892000002', pod: 'auto', endpoint_url: null }),
    ])
  })

  it('a quoted line break stays inside its field, and bad rows are named by their line in the file', async () => {
    const env = testEnv(account)
    const csv = [
      'phone,sid,pod',
      `+919892000011,${account.sid},in`,
      `"+9198920\n00012",${account.sid},in`,
      '',
      `+919892000013,${account.sid},mars`,
      `+919892000014,${account.sid},in,https://flows.example.com/data,extra`,
    ].join('\r\n')
    const res = await importCsv(env, csv)
    expect(res.status).toBe(400)
    const body = await res.json<ImportError>()
    expect(body.error.message).toBe('3 of 4 entries are invalid; nothing was applied')
    expect(body.error.entries).toEqual([
      { index: 1, line: 3, phone: '+9198920\n00012', message: expect.stringContaining('is not a phone number') },
      { index: 2, line: 6, phone: '+919892000013', message: expect.stringContaining('"pod" must be one of') },
      { index: 3, line: 7, phone: '+919892000014', message: '5 fields, but the header names 3 columns' },
    ])
    expect(await listed(env)).toEqual([])
  })

  it('a syntax fault refuses the whole file and names its line', async () => {
    const env = testEnv(account)
    const res = await importCsv(env, `phone,sid\n+919892000021,${account.sid}\n"+919892000022,${account.sid}\n`)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      error: { code: 'invalid_request', message: expect.stringMatching(/^The CSV cannot be read: line 3: a quoted field starts here and is never closed/) },
    })
    expect(await listed(env)).toEqual([])
  })

  it('an unknown column is refused, not dropped', async () => {
    const res = await importCsv(testEnv(account), `phone,sid,endpoint\n+919892000031,${account.sid},https://flows.example.com/data\n`)
    expect(res.status).toBe(400)
    expect((await res.json<ImportError>()).error.message).toContain('unknown column "endpoint"')
  })
})

describe('echoed values are clipped', () => {
  it('a 1.5 MB phone comes back as its first 40 characters and …, in JSON and in CSV', async () => {
    const env = testEnv(account)
    const huge = `+91${'9'.repeat(1_500_000)}`
    const json = await request(env, '/v1/numbers', operator({ method: 'POST', body: JSON.stringify({ numbers: [{ phone: huge, sid: account.sid }] }) }))
    const csv = await importCsv(env, `phone,sid\n${huge},${account.sid}\n`)
    for (const res of [json, csv]) {
      expect(res.status).toBe(400)
      const text = await res.text()
      expect(text.length).toBeLessThan(1000)
      const entry = (JSON.parse(text) as ImportError).error.entries?.[0]
      expect(entry?.phone).toBe(`${huge.slice(0, 40)}…`)
    }
  })
  it('a long path comes back clipped in 404, 405 and invalid_phone messages', async () => {
    const env = testEnv(account)
    const long = 'a'.repeat(8000)
    for (const [path, init, status] of [
      [`/${long}`, {}, 404],
      [`/v1/numbers/${long}/key`, {}, 400],
      [`/v1/numbers/+919892000041/key${long}`, {}, 404],
      ['/.well-known/jwks.json', { method: 'DELETE' }, 405],
    ] as const) {
      const res = await request(env, path, init)
      expect(res.status).toBe(status)
      expect((await res.json<ImportError>()).error.message.length).toBeLessThan(200)
    }
  })
})
