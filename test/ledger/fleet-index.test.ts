/**
 * @module The fleet's order and counts, kept by the ledger: /v1/status, / and ?q= read one ranked page with a cursor
 * (problems first), /healthz and the page header read counts kept in step with every batch, write and delete, and the
 * kept counts always equal a count of the numbers themselves.
 */
import { reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { HEALTHY_RANK } from '../../src/ledger/fleet-index'
import { Account } from '../support/kaleyra'
import { rows } from '../support/ledger'
import { forgetIsolateCache, operator, request, testEnv, tick } from '../support/worker'

const account = new Account('HXFLEETINDEX01IN', 'fleet-index-api-key')
const COUNT = 120
const PREFIX = '+91989500'
const phoneOf = (i: number): string => `${PREFIX}${String(i).padStart(3, '0')}`
const PROBLEMS = [phoneOf(17), phoneOf(64), phoneOf(101)]

interface StatusAnswer {
  numbers: { phone: string; attention: string[] }[]
  total: number
  next_cursor: string | null
}
interface HealthAnswer {
  numbers: number
  fleet: { attention: number; reasons: Record<string, number>; examples: { phone: string; reasons: string[] }[] }
}

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
})

/** 120 numbers through the bulk import, three of them with a signature that is not VALID, and one run. */
async function fleet(): Promise<ReturnType<typeof testEnv>> {
  await account.fleet(PREFIX, COUNT)
  for (const phone of PROBLEMS) await account.setStatus(phone, 'MISMATCH')
  const env = testEnv(account)
  const numbers = Array.from({ length: COUNT }, (_, i) => ({ phone: phoneOf(i), sid: account.sid, pod: 'in' }))
  expect((await request(env, '/v1/numbers', operator({ method: 'POST', body: JSON.stringify({ numbers }) }))).status).toBe(200)
  await tick(env)
  return env
}

async function allPages(env: ReturnType<typeof testEnv>, limit: number): Promise<StatusAnswer[]> {
  const pages: StatusAnswer[] = []
  let cursor: string | null = null
  do {
    const path: string = `/v1/status?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const page = await (await request(env, path, operator())).json<StatusAnswer>()
    pages.push(page)
    cursor = page.next_cursor
  } while (cursor && pages.length < 100)
  return pages
}

/** What the kept counts must equal: the index rows themselves. */
async function recount(): Promise<{ numbers: number; attention: number }> {
  const [counted] = await rows<{ numbers: number; attention: number }>(
    'SELECT COUNT(*) AS numbers, COALESCE(SUM(rank < ?), 0) AS attention FROM fleet_index',
    HEALTHY_RANK,
  )
  return counted
}

describe('paging through the fleet index', () => {
  it('lists problems first, then every other number once, one page at a time with a cursor', async () => {
    const env = await fleet()
    const pages = await allPages(env, 50)
    expect(pages.map((p) => p.numbers.length)).toEqual([50, 50, 20])
    const listed = pages.flatMap((p) => p.numbers)
    expect(new Set(listed.map((n) => n.phone)).size).toBe(COUNT)
    expect(listed.slice(0, 3).map((n) => n.phone)).toEqual(PROBLEMS)
    expect(listed.slice(0, 3).every((n) => n.attention.includes('signature_invalid'))).toBe(true)
    expect(listed.slice(3).every((n) => n.attention.length === 0)).toBe(true)
    const rest = listed.slice(3).map((n) => n.phone)
    expect(rest).toEqual([...rest].sort())
    expect(pages[0]?.total).toBe(COUNT)
  })

  it('finds a number by digits anywhere in it through the index, on the page and its search', async () => {
    const env = await fleet()
    const html = await (await request(env, `/?q=${phoneOf(64).slice(-6)}`)).text()
    expect(html).toContain(phoneOf(64))
    expect((html.match(/<li[\s>]/g) ?? []).length).toBe(1)
    // Two digits match many numbers: still one ranked page, problems first.
    const short = await (await request(env, '/?q=64')).text()
    expect(short.indexOf(phoneOf(64))).toBeGreaterThan(0)
    const first = await (await request(env, '/')).text()
    expect(first.indexOf(PROBLEMS[0] as string)).toBeLessThan(first.indexOf(phoneOf(0)))
    const next = /href="\/\?cursor=([^"]+)"/.exec(first)?.[1]
    expect(next).toBeDefined()
    const second = await (await request(env, `/?cursor=${next}`)).text()
    expect(second).toContain('First page')
    expect(second).not.toContain(`>${PROBLEMS[0]}<`)
  })
})

describe('the kept counts', () => {
  it('are what /healthz and the page say, move with each batch, write and delete, and equal a recount', async () => {
    const env = await fleet()
    const health = async (): Promise<HealthAnswer> => (await request(env, '/healthz')).json<HealthAnswer>()
    let h = await health()
    expect(h.numbers).toBe(COUNT)
    expect(h.fleet.attention).toBe(3)
    expect(h.fleet.reasons.signature_invalid).toBe(3)
    expect(h.fleet.examples.map((e) => e.phone)).toEqual(PROBLEMS)
    expect(await recount()).toEqual({ numbers: COUNT, attention: 3 })
    expect(await (await request(env, '/')).text()).toContain(`3 of ${COUNT} watched numbers need attention`)

    // A delete takes its number out; a new number comes in with no reason yet.
    expect((await request(env, `/v1/numbers/${encodeURIComponent(PROBLEMS[0] as string)}`, operator({ method: 'DELETE' }))).status).toBe(200)
    const added = '+919895999001'
    const put = operator({ method: 'PUT', body: JSON.stringify({ sid: account.sid, pod: 'in' }), headers: { 'content-type': 'application/json' } })
    expect((await request(env, `/v1/numbers/${encodeURIComponent(added)}`, put)).status).toBe(201)
    h = await health()
    expect({ numbers: h.numbers, attention: h.fleet.attention }).toEqual({ numbers: COUNT, attention: 2 })
    expect(await recount()).toEqual({ numbers: COUNT, attention: 2 })

    // A batch that fixes a number moves the counts in its own transaction.
    await account.setStatus(PROBLEMS[1] as string, 'VALID')
    await tick(env, Date.now() + 600_000)
    h = await health()
    expect(h.fleet.attention).toBe(1)
    expect(h.fleet.reasons.signature_invalid).toBe(1)
    expect(await recount()).toEqual({ numbers: COUNT, attention: 1 })
  })

  it('follow a mute: a muted number counts for nothing until the mute is ended or runs out', async () => {
    const env = await fleet()
    const attention = async (): Promise<number> => (await (await request(env, '/healthz')).json<HealthAnswer>()).fleet.attention
    const path = (phone: string): string => `/v1/numbers/${encodeURIComponent(phone)}/mute`
    const mute = (ms: number): RequestInit =>
      operator({
        method: 'PUT',
        body: JSON.stringify({ until: new Date(Date.now() + ms).toISOString(), reason: 'vendor work' }),
        headers: { 'content-type': 'application/json' },
      })
    expect((await request(env, path(PROBLEMS[0] as string), mute(3_600_000))).status).toBeLessThan(300)
    expect((await request(env, path(PROBLEMS[1] as string), mute(1_500))).status).toBeLessThan(300)
    expect(await attention()).toBe(1)
    expect(await recount()).toEqual({ numbers: COUNT, attention: 1 })
    expect((await request(env, path(PROBLEMS[0] as string), operator({ method: 'DELETE' }))).status).toBe(204)
    expect(await attention()).toBe(2)
    // The second mute runs out with no write at all: the next read finds it through its row's end time.
    await new Promise((resolve) => setTimeout(resolve, 1_600))
    expect(await attention()).toBe(3)
    expect(await recount()).toEqual({ numbers: COUNT, attention: 3 })
  })

  it('are rebuilt once when the configuration that shapes them changes', async () => {
    const env = await fleet()
    const extra = '+919895999002'
    await account.addNumber(extra)
    const changed = { ...env, WATCH_NUMBERS: extra }
    const h = await (await request(changed, '/healthz')).json<HealthAnswer>()
    expect(h.numbers).toBe(COUNT + 1)
    expect(await recount()).toEqual({ numbers: COUNT + 1, attention: 3 })
  })
})
