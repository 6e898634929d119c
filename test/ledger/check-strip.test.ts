/** @module The check strip: one mark per run, kept as a bounded ring per number, read with the page; a flapping number at a glance. */
import { reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { STRIP_RUNS, appendMark, readStrips } from '../../src/ledger/check-strip'
import { Account } from '../support/kaleyra'
import { inLedger } from '../support/ledger'
import { forgetIsolateCache, request, testEnv, tick } from '../support/worker'

const account = new Account('HXSTRIPTEST01IN', 'strip-test-api-key')
const PHONE = '+919870400001'
const MINUTE = 60_000

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
  await account.addNumber(PHONE)
})

describe('the ring', () => {
  it(`keeps the last ${STRIP_RUNS} marks of a number in one row, however many runs there were`, async () => {
    const t0 = Date.parse('2026-12-01T00:00:00Z')
    const { strip, rows, bytes } = await inLedger((sql) => {
      for (let i = 0; i < 500; i++) appendMark(sql, PHONE, i % 2 ? 'failed' : 'ok', t0 + i * 5 * MINUTE)
      return {
        strip: readStrips(sql, [PHONE]).get(PHONE) ?? [],
        rows: sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM check_strips').one().n,
        bytes: sql.exec<{ n: number }>('SELECT LENGTH(marks) AS n FROM check_strips').one().n,
      }
    })
    expect(rows).toBe(1)
    expect(strip).toHaveLength(STRIP_RUNS)
    expect(bytes).toBeLessThanOrEqual(STRIP_RUNS * 8)
    // The newest marks are the ones kept, oldest first, each with its time to the second.
    expect(strip[STRIP_RUNS - 1]).toEqual({ at: new Date(t0 + 499 * 5 * MINUTE).toISOString(), outcome: 'failed' })
    expect(strip[0]).toEqual({ at: new Date(t0 + (500 - STRIP_RUNS) * 5 * MINUTE).toISOString(), outcome: 'ok' })
  })
})

describe('a flapping number', () => {
  it('shows each run as a mark on the status page and the number page, with words for screen readers and a title per mark', async () => {
    const env = testEnv(account, { WATCH_NUMBERS: PHONE })
    const t0 = Date.now()
    for (let i = 0; i < 6; i++) {
      if (i % 2) await account.fail('401', 1, PHONE)
      await tick(env, t0 + i * 10 * MINUTE)
    }
    for (const path of ['/', `/numbers/${encodeURIComponent(PHONE)}`]) {
      const page = await (await request(env, path)).text()
      const marks = page.match(/<span class="mark (ok|failed)" title="[^"]+: (key ok|check failed)"><\/span>/g) ?? []
      expect(marks, path).toHaveLength(6)
      expect(page).toContain('aria-label="Last 6 checks, oldest first: 3 key ok, 3 check failed; the outcome changed 5 times."')
    }
  })
})
