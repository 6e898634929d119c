/** @module Paging cursors are checked: a forged one is 400, never an empty last page a client would take for the end of the list. */
import { reset } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { HEALTHY_RANK } from '../../src/ledger/fleet-index'
import { formatCursor } from '../../src/ledger/fleet-page'
import { Account } from '../support/kaleyra'
import { forgetIsolateCache, operator, request, testEnv } from '../support/worker'

const account = new Account('HXSECCURS01IN', 'Cu5Rs7Or9Sx1Yz3Ab5Cd7Ef9Gh1Ij3Kl')
const PHONES = ['+919895000001', '+919895000002', '+919895000003']
const env = () => testEnv(account, { WATCH_NUMBERS: PHONES.join(',') })

beforeAll(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
})

interface Page {
  numbers: { phone: string }[]
  next_cursor: string | null
}

describe.each(['/v1/numbers', '/v1/status'])('%s', (path) => {
  it('walks every page with the cursors it hands out, + written raw or as %2B', async () => {
    const first = await (await request(env(), `${path}?limit=2`, operator())).json<Page>()
    expect(first.numbers.map((n) => n.phone)).toEqual(PHONES.slice(0, 2))
    // /v1/status pages in attention order: its cursor is the rank and the digits (src/ledger/fleet-page.ts); here nothing needs attention.
    expect(first.next_cursor).toBe(path === '/v1/status' ? formatCursor({ rank: HEALTHY_RANK, phone: PHONES[1] as string }) : PHONES[1])
    for (const cursor of [encodeURIComponent(first.next_cursor ?? ''), first.next_cursor ?? '']) {
      const next = await (await request(env(), `${path}?limit=2&cursor=${cursor}`, operator())).json<Page>()
      expect(next).toMatchObject({ numbers: [{ phone: PHONES[2] }], next_cursor: null })
    }
    expect((await request(env(), `${path}?cursor=`, operator())).status).toBe(200)
  })

  it.each(['zzz', 'eyJwaG9uZSI6Iis5MSJ9', '+1', '919895000002', `+${'9'.repeat(40)}`, '%2B91989500000%00', '../../etc'])(
    'a forged cursor %j is 400 invalid_request',
    async (cursor) => {
      const res = await request(env(), `${path}?cursor=${cursor}`, operator())
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({ error: { code: 'invalid_request', message: expect.stringContaining('"cursor": is not a next_cursor flowkey gave') } })
    },
  )
})
