/** @module The CHECKS queue: a batch whose consumer dies is retried and its numbers checked once; the dead-letter path makes failed checks, never silence. */
import { createExecutionContext, createMessageBatch, getQueueResult, reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { createRun, type CheckMessage } from '../../src/ledger/run-table'
import { Account } from '../support/kaleyra'
import { makeKey } from '../support/keys'
import { inLedger, lastRun, numberRecord, numberStatus, rows } from '../support/ledger'
import { forgetIsolateCache, operator, request, testEnv, tick } from '../support/worker'

const account = new Account('HXLEDGERQUEUE1IN', 'ledger-queue-api-key')
const A = '+919893000001'
const B = '+919893000002'

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
})

async function deliver(env: ReturnType<typeof testEnv>, queue: string, body: CheckMessage, attempts = 1): Promise<Awaited<ReturnType<typeof getQueueResult>>> {
  const batch = createMessageBatch<CheckMessage>(queue, [{ id: `m-${queue}-${attempts}`, timestamp: Date.now(), attempts, body }])
  const ctx = createExecutionContext()
  await worker.queue(batch, env, ctx)
  return getQueueResult(batch, ctx)
}

/** A run planned by the ledger whose messages the test delivers itself (the real queue also carries them: the ledger takes each batch once). */
async function plannedRun(env: ReturnType<typeof testEnv>, time: number): Promise<{ runId: string; message: CheckMessage }> {
  await tick(env, time)
  const [run] = await rows<{ id: string; started_at: number }>('SELECT id, started_at FROM runs ORDER BY started_at DESC LIMIT 1')
  const message: CheckMessage = {
    run_id: run.id,
    batch: 0,
    planned_at: run.started_at,
    numbers: [A, B].map((phone) => ({ phone, sid: account.sid, pod: 'in' as const, endpoint_url: null })),
    pods: {},
  }
  return { runId: run.id, message }
}

describe('a consumer that dies', () => {
  it('is retried by the queue, and what it had reported is not checked again', async () => {
    for (const phone of [A, B]) await account.addNumber(phone, { pem: (await makeKey()).pem })
    const env = testEnv(account, { WATCH_NUMBERS: `${A},${B}` })
    const { runId, message } = await plannedRun(env, Date.now())
    await rows(`UPDATE batches SET state = 'queued' WHERE run_id = ?`, runId)
    // A consumer that dies (here: on a body cut short) hands the message back for a retry, not an ack.
    const broken = await deliver(env, 'flowkey-checks', { ...message, numbers: null as unknown as CheckMessage['numbers'] })
    expect(broken.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(['m-flowkey-checks-1'])
    expect(broken.explicitAcks).toEqual([])
    await account.clearRequests()
    expect((await deliver(env, 'flowkey-checks', message, 2)).explicitAcks).toEqual(['m-flowkey-checks-2'])
    expect((await account.requests()).requests.map((r) => r.phone).sort()).toEqual([A, B])
    // A redelivery of the batch now reported is acked without a request to Kaleyra.
    expect((await deliver(env, 'flowkey-checks', message, 3)).explicitAcks).toEqual(['m-flowkey-checks-3'])
    expect((await account.requests()).requests).toHaveLength(2)
    for (const phone of [A, B]) expect((await numberRecord(phone)).history.map((e) => e.type)).toEqual(['key.first_seen'])
  })

  it('a batch not yet reported is checked by the retry, once', async () => {
    for (const phone of [A, B]) await account.addNumber(phone, { pem: (await makeKey()).pem })
    const env = testEnv(account, { WATCH_NUMBERS: `${A},${B}` })
    const { runId, message } = await plannedRun(env, Date.now())
    // As if this batch's first consumer died before reporting: the ledger still waits for it.
    await rows(`UPDATE batches SET state = 'queued' WHERE run_id = ?`, runId)
    await account.rotate(A, (await makeKey()).pem)
    await account.clearRequests()
    expect((await deliver(env, 'flowkey-checks', message, 2)).explicitAcks).toHaveLength(1)
    expect((await deliver(env, 'flowkey-checks', message, 3)).explicitAcks).toHaveLength(1)
    expect((await account.requests()).requests.map((r) => r.phone).sort()).toEqual([A, B])
    expect((await numberRecord(A)).history.map((e) => e.type)).toEqual(['key.rotated', 'key.first_seen'])
  })
})

describe('the dead-letter queue', () => {
  it('records a failed check for every number of a batch the queue gave up on, and /v1/status shows the batch', async () => {
    for (const phone of [A, B]) await account.addNumber(phone, { pem: (await makeKey()).pem })
    const env = testEnv(account, { WATCH_NUMBERS: `${A},${B}`, FAILING_AFTER: '1' })
    const t0 = Date.now()
    await tick(env, t0)
    // A second run whose only batch failed every delivery (made in the ledger's own tables, so no consumer takes it first).
    const numbers = [A, B].map((phone) => ({ phone, sid: account.sid, pod: 'in' as const, endpoint_url: null }))
    const planned = { run_id: 'run_dead_letter_test' }
    await inLedger((sql) => createRun(sql, planned.run_id, 'manual', null, t0 + 600_000, [numbers]))
    const message: CheckMessage = { run_id: planned.run_id, batch: 0, planned_at: t0 + 600_000, numbers, pods: {} }
    const result = await deliver(env, 'flowkey-checks-dlq', message, 4)
    expect(result.explicitAcks).toHaveLength(1)
    const status = await numberStatus(A)
    expect(status).toMatchObject({ outcome: 'error', failing: true, error: { code: 'check_dead_lettered' } })
    expect((await numberRecord(A)).history.map((e) => e.type)).toEqual(['check.failing', 'key.first_seen'])
    // The key stays served; the run is complete, with its dead batch.
    expect((await request(env, `/v1/numbers/${A}/key`)).status).toBe(200)
    expect(await lastRun()).toMatchObject({ id: planned.run_id, dead: 1, failed: 2 })
    const view = await (await request(env, '/v1/status', operator())).json<{ dead_batches: { run_id: string; numbers: string[] }[] }>()
    expect(view.dead_batches).toEqual([expect.objectContaining({ run_id: planned.run_id, numbers: [A, B] })])
  })
})
