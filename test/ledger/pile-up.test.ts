/** @module Runs that do not pile up: a cron firing while an earlier run drains queues no number whose check is still queued, says so, and /healthz stays fresh while checks go on. */
import { createExecutionContext, createScheduledController, reset, waitOnExecutionContext } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { createRun, QUEUED_AT_MOST_MS } from '../../src/ledger/run-table'
import { Account } from '../support/kaleyra'
import { makeKey } from '../support/keys'
import { inLedger, lastRun, runs } from '../support/ledger'
import { forgetIsolateCache, operator, request, testEnv, tick } from '../support/worker'

const account = new Account('HXPILEUP000001IN', 'pile-up-api-key')
const A = '+919894000001'
const B = '+919894000002'
const C = '+919894000003'
const CRON = '* * * * *'
const MINUTE = 60_000

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
})

/** An earlier run whose batch of `phones` is still in the queue (no consumer has reported it). */
function draining(id: string, phones: string[], startedAt: number): Promise<void> {
  const numbers = phones.map((phone) => ({ phone, sid: account.sid, pod: 'in' as const, endpoint_url: null }))
  return inLedger((sql) => createRun(sql, id, 'cron', CRON, startedAt, [numbers]))
}

async function setUp(): Promise<{ env: ReturnType<typeof testEnv>; t0: number }> {
  for (const phone of [A, B, C]) await account.addNumber(phone, { pem: (await makeKey()).pem })
  const env = testEnv(account, { WATCH_NUMBERS: `${A},${B},${C}` })
  const t0 = Date.now()
  await tick(env, t0, CRON)
  await account.clearRequests()
  return { env, t0 }
}

describe('a cron that fires while the run before it drains', () => {
  it('queues only the numbers whose check is not still queued, and the run says how many it skipped', async () => {
    const { env, t0 } = await setUp()
    await draining('run_still_draining', [A, B], t0 + MINUTE)
    await tick(env, t0 + 2 * MINUTE, CRON)
    expect((await account.requests()).requests.map((r) => r.phone)).toEqual([C])
    expect(await lastRun()).toMatchObject({ checked: 1, skipped: 2 })
    const status = await (await request(env, '/v1/status', operator())).json<{ runs: { id: string; skipped: number }[] }>()
    expect(status.runs[0]).toMatchObject({ skipped: 2, checked: 1 })
  })

  it('skips the whole run when every number is still queued: nothing is sent, and it is not a complete run', async () => {
    const { env, t0 } = await setUp()
    const before = await lastRun()
    await draining('run_still_draining', [A, B, C], t0 + MINUTE)
    const ctx = createExecutionContext()
    await worker.scheduled(createScheduledController({ scheduledTime: t0 + 2 * MINUTE, cron: CRON }), env, ctx)
    await waitOnExecutionContext(ctx)
    expect((await account.requests()).requests).toEqual([])
    const [newest] = await runs(1)
    expect(newest).toMatchObject({ batches: 0, checked: 0, skipped: 3 })
    expect(newest.finished_at).not.toBeNull()
    expect((await lastRun())?.id).toBe(before?.id)
  })

  it('queues a number again once its batch has waited longer than a lost message could', async () => {
    const { env, t0 } = await setUp()
    await draining('run_lost', [A, B], t0 + MINUTE)
    await tick(env, t0 + MINUTE + QUEUED_AT_MOST_MS + MINUTE, CRON)
    expect((await account.requests()).requests.map((r) => r.phone).sort()).toEqual([A, B, C])
    expect(await lastRun()).toMatchObject({ checked: 3, skipped: 0 })
  })
})
