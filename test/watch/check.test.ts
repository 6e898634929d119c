/** @module Check runs end to end: the real worker's cron handler, the CHECKS queue and the ledger against the pod emulator. */
import { createExecutionContext, createMessageBatch, getQueueResult, reset } from 'cloudflare:test'
import { beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import worker from '../../src/index'
import type { CheckMessage } from '../../src/ledger/run-table'
import type { HistoryEntry } from '../../src/notify/events'
import { Account } from '../support/kaleyra'
import { lastRun, numberRecord, numberStatus, rows } from '../support/ledger'
import { makeKey } from '../support/keys'
import { forgetIsolateCache, operator, request, testEnv, tick } from '../support/worker'

const account = new Account('HXCHECKTEST001IN', 'check-test-api-key-secret-value')
const A = '+919830000001'
const B = '+919830000002'
const C = '+919830000003'

async function jwksText(env: ReturnType<typeof testEnv>, path = '/.well-known/jwks.json'): Promise<string> {
  const res = await request(env, path)
  expect(res.status).toBe(200)
  return res.text()
}
const types = (events: HistoryEntry[]): string[] => events.map((e) => e.type)

beforeAll(async () => {
  await account.create()
})
beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
})

describe('first check', () => {
  it('stores the key and serves it from every route', async () => {
    const key = await makeKey()
    await account.addNumber(A, { pem: key.pem, pemStyle: 'one-line' })
    const env = testEnv(account, { WATCH_NUMBERS: A })
    await tick(env)
    const record = await numberRecord(A)
    expect(record.current?.kid).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(types(record.history)).toEqual(['key.first_seen'])
    const jwks = JSON.parse(await jwksText(env)) as { keys: { kid: string }[] }
    expect(jwks.keys.map((k) => k.kid)).toEqual([record.current?.kid])
    expect(JSON.parse(await jwksText(env, `/v1/numbers/${A}/jwks.json`))).toEqual(jwks)
    const res = await request(env, `/v1/numbers/${A}/key`)
    const body = await res.json<Record<string, unknown>>()
    expect(Object.keys(body).sort()).toEqual([
      'checked_at',
      'fetched_at',
      'first_seen_at',
      'jwk',
      'kid',
      'pem',
      'phone',
      'pod',
      'signature_status',
      'source',
      'spki_sha256',
    ])
    expect(body).toMatchObject({ phone: A, kid: record.current?.kid, signature_status: 'VALID', source: 'kaleyra', pod: 'in' })
    // The one-line PEM from Kaleyra is served in its canonical form.
    expect(body.pem).toBe(`${key.pem.trim()}\n`)
  })
})

describe('rotation', () => {
  it('shows the new kid after the next check, keeps the old one as previous, and records it', async () => {
    await account.addNumber(A, { pem: (await makeKey()).pem })
    const env = testEnv(account, { WATCH_NUMBERS: A })
    await tick(env)
    const before = (await numberRecord(A)).current?.kid
    await account.rotate(A, (await makeKey()).pem)
    await tick(env, Date.now() + 600_000)
    const record = await numberRecord(A)
    expect(record.current?.kid).not.toBe(before)
    expect(record.previous?.kid).toBe(before)
    expect(types(record.history)).toEqual(['key.rotated', 'key.first_seen'])
    expect(record.history[0].data).toMatchObject({
      kid: record.current?.kid,
      previous_kid: before,
      signature_status: 'VALID',
      previous_signature_status: 'VALID',
    })
    const served = JSON.parse(await jwksText(env, `/v1/numbers/${A}/jwks.json`)) as { keys: { kid: string }[] }
    expect(served.keys.map((k) => k.kid)).toEqual([record.current?.kid])
  })

  it('records nothing when a second run sees the same key and status', async () => {
    await account.addNumber(A, { pem: (await makeKey()).pem })
    const env = testEnv(account, { WATCH_NUMBERS: A })
    await tick(env)
    await tick(env, Date.now() + 600_000)
    expect(types((await numberRecord(A)).history)).toEqual(['key.first_seen'])
  })
})

describe('failures never touch the last good key', () => {
  const FAULTS = ['500', '502-html', '503', '429', '401', 'wa-401', '400', 'timeout', 'reset', 'html', 'truncated', 'huge', 'not-json-shape']

  it('leaves the served JWKS byte-identical through every upstream failure mode', async () => {
    const phones = FAULTS.map((_, i) => `+91984${String(i).padStart(7, '0')}`)
    const pem = (await makeKey()).pem
    for (const phone of phones) await account.addNumber(phone, { pem })
    const env = testEnv(account, { WATCH_NUMBERS: phones.join(','), KALEYRA_TIMEOUT_MS: '400' })
    await tick(env)
    const fleet = await jwksText(env)
    const single = await Promise.all(phones.map((p) => jwksText(env, `/v1/numbers/${p}/jwks.json`)))
    await account.clearRequests()
    for (const [i, kind] of FAULTS.entries()) await account.fail(kind, 3, phones[i])
    // A different key behind the faults: were any fault read as an answer, it would show.
    for (const phone of phones) await account.rotate(phone, (await makeKey()).pem)
    await tick(env, Date.now() + 600_000)

    forgetIsolateCache()
    expect(await jwksText(env)).toBe(fleet)
    expect(await Promise.all(phones.map((p) => jwksText(env, `/v1/numbers/${p}/jwks.json`)))).toEqual(single)
    for (const [i, kind] of FAULTS.entries()) {
      const status = await numberStatus(phones[i])
      expect(status.outcome, kind).toBe('error')
      expect(status.consecutive_failures, kind).toBe(1)
      expect(types((await numberRecord(phones[i])).history), kind).toEqual(['key.first_seen'])
    }
    expect((await numberStatus(phones[FAULTS.indexOf('401')])).error?.code).toBe('kaleyra_auth_failed')
    expect((await numberStatus(phones[FAULTS.indexOf('timeout')])).error?.code).toBe('kaleyra_timeout')
    expect((await numberStatus(phones[FAULTS.indexOf('huge')])).error?.message).toMatch(/256 KiB/)
  })

  it('refuses a key that is not RSA-2048 and keeps serving the last good one', async () => {
    await account.addNumber(A, { pem: (await makeKey()).pem })
    const env = testEnv(account, { WATCH_NUMBERS: A })
    await tick(env)
    const before = await jwksText(env)
    await account.rotate(A, (await makeKey(1024)).pem)
    await tick(env, Date.now() + 600_000)
    expect(await jwksText(env)).toBe(before)
    expect((await numberStatus(A)).error).toMatchObject({ code: 'invalid_key', message: expect.stringMatching(/1024-bit/) })
  })

  it('sends check.failing once after FAILING_AFTER failures, and check.recovered when it ends', async () => {
    await account.addNumber(A, { pem: (await makeKey()).pem })
    const env = testEnv(account, { WATCH_NUMBERS: A, FAILING_AFTER: '2' })
    const t0 = Date.now()
    await tick(env, t0)
    await account.fail('401', 3, A)
    for (let i = 1; i <= 3; i++) await tick(env, t0 + i * 600_000)
    let record = await numberRecord(A)
    expect(types(record.history)).toEqual(['check.failing', 'key.first_seen'])
    expect(record.history[0].data.error).toMatchObject({ code: 'kaleyra_auth_failed' })
    expect(await numberStatus(A)).toMatchObject({ consecutive_failures: 3, failing: true })
    await tick(env, t0 + 4 * 600_000)
    record = await numberRecord(A)
    expect(types(record.history)).toEqual(['check.recovered', 'check.failing', 'key.first_seen'])
    expect(await numberStatus(A)).toMatchObject({ consecutive_failures: 0, failing: false })
  })
})

describe('removal and signature status', () => {
  it('records key.removed when Kaleyra answers WA-200 without a key', async () => {
    await account.addNumber(A, { pem: (await makeKey()).pem })
    const env = testEnv(account, { WATCH_NUMBERS: A })
    await tick(env)
    const kid = (await numberRecord(A)).current?.kid
    await account.removeKey(A)
    await tick(env, Date.now() + 600_000)
    const record = await numberRecord(A)
    expect(types(record.history)).toEqual(['key.removed', 'key.first_seen'])
    expect(record.history[0].data).toMatchObject({ kid: null, previous_kid: kid })
    expect(record.current).toBeNull()
    expect(record.previous?.kid).toBe(kid)
    expect((await request(env, `/v1/numbers/${A}/key`)).status).toBe(404)
  })

  it('reads WA-200 with "data": {} as a removal too', async () => {
    await account.addNumber(A, { pem: (await makeKey()).pem })
    const env = testEnv(account, { WATCH_NUMBERS: A })
    await tick(env)
    await account.fail('data-object', 1, A)
    await tick(env, Date.now() + 600_000)
    expect(types((await numberRecord(A)).history)).toEqual(['key.removed', 'key.first_seen'])
    expect(await numberStatus(A)).toMatchObject({ outcome: 'no_key', kid: null, signature_status: null })
  })

  it('records a non-VALID status, and its return to VALID', async () => {
    await account.addNumber(A, { pem: (await makeKey()).pem })
    const env = testEnv(account, { WATCH_NUMBERS: A })
    await tick(env)
    await account.setStatus(A, 'INVALID')
    await tick(env, Date.now() + 600_000)
    const key = await (await request(env, `/v1/numbers/${A}/key`)).json<{ signature_status: string }>()
    expect(key.signature_status).toBe('INVALID')
    await account.setStatus(A, 'VALID')
    await tick(env, Date.now() + 1_200_000)
    const record = await numberRecord(A)
    expect(types(record.history)).toEqual(['key.signature_restored', 'key.signature_invalid', 'key.first_seen'])
    expect(record.history[1].data).toMatchObject({ signature_status: 'INVALID', previous_signature_status: 'VALID' })
  })

  it('alerts on a key first seen with a status other than VALID', async () => {
    await account.addNumber(A, { pem: (await makeKey()).pem, status: 'MISMATCH' })
    await tick(testEnv(account, { WATCH_NUMBERS: A }))
    expect(types((await numberRecord(A)).history)).toEqual(['key.signature_invalid', 'key.first_seen'])
  })
})

describe('costs and limits', () => {
  it('writes to KV only the documents that changed, and the run record', async () => {
    for (const phone of [A, B, C]) await account.addNumber(phone, { pem: (await makeKey()).pem })
    const env = testEnv(account, { WATCH_NUMBERS: [A, B, C].join(',') })
    await tick(env)
    // Three key documents, three histories, the fleet JWKS and the run.
    expect((await lastRun())?.kv_writes).toBe(8)
    await tick(env, Date.now() + 600_000)
    expect((await lastRun())?.kv_writes).toBe(1)
    await account.rotate(B, (await makeKey()).pem)
    await tick(env, Date.now() + 1_200_000)
    // B's key document and history, the fleet JWKS, the run.
    expect((await lastRun())?.kv_writes).toBe(4)
  })

  it('keeps at most six requests to Kaleyra in flight', async () => {
    const phones = Array.from({ length: 14 }, (_, i) => `+91985${String(i).padStart(7, '0')}`)
    const pem = (await makeKey()).pem
    for (const phone of phones) await account.addNumber(phone, { pem })
    await account.latency(150)
    await account.clearRequests()
    await tick(testEnv(account, { WATCH_NUMBERS: phones.join(',') }))
    await account.latency(0)
    const { requests, maxInFlight } = await account.requests()
    expect(requests).toHaveLength(14)
    expect(maxInFlight).toBe(6)
  })
})

describe('overlap and crashes', () => {
  it('records each change once when a cron run and POST /v1/check overlap', async () => {
    await account.addNumber(A, { pem: (await makeKey()).pem })
    const env = testEnv(account, { WATCH_NUMBERS: A })
    await tick(env)
    await account.rotate(A, (await makeKey()).pem)
    await account.latency(100)
    await Promise.all([tick(env, Date.now() + 600_000), request(env, '/v1/check', operator({ method: 'POST' })), tick(env, Date.now() + 600_000)])
    await account.latency(0)
    // Whichever came first checked the number; the others left it out while it was queued. Wait for every run to end.
    for (let i = 0; i < 300 && (await rows<{ n: number }>('SELECT COUNT(*) AS n FROM runs WHERE finished_at IS NULL'))[0]?.n; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(types((await numberRecord(A)).history)).toEqual(['key.rotated', 'key.first_seen'])
  })

  it('checks a batch once when the queue delivers it again after its report', async () => {
    await account.addNumber(A, { pem: (await makeKey()).pem })
    const env = testEnv(account, { WATCH_NUMBERS: A })
    await tick(env)
    const [run] = await rows<{ id: string }>('SELECT id FROM runs ORDER BY started_at DESC LIMIT 1')
    await account.rotate(A, (await makeKey()).pem)
    await account.clearRequests()
    // The consumer died after reporting, before its ack: the queue hands the message over again.
    const message: CheckMessage = {
      run_id: run.id,
      batch: 0,
      planned_at: Date.now(),
      numbers: [{ phone: A, sid: account.sid, pod: 'in', endpoint_url: null }],
      pods: {},
    }
    const batch = createMessageBatch<CheckMessage>('flowkey-checks', [{ id: 'm1', timestamp: Date.now(), attempts: 2, body: message }])
    const ctx = createExecutionContext()
    await worker.queue(batch, env, ctx)
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['m1'])
    expect((await account.requests()).requests).toHaveLength(0)
    expect(types((await numberRecord(A)).history)).toEqual(['key.first_seen'])
  })
})

describe('watching a number again', () => {
  it('does not send its past events again after DELETE and PUT', async () => {
    const receiver = inject('receiverUrl')
    const path = '/check-test/rewatch'
    await fetch(`${receiver}/_receiver/reset`, { method: 'POST', body: JSON.stringify({ prefix: '/check-test' }) })
    await account.addNumber(A, { pem: (await makeKey()).pem })
    const env = testEnv(account, { WATCH_NUMBERS: A, WEBHOOK_URL: `${receiver}${path}`, WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
    await tick(env)
    await account.rotate(A, (await makeKey()).pem)
    await tick(env, Date.now() + 600_000)
    expect((await request(env, `/v1/numbers/${A}`, operator({ method: 'DELETE' }))).status).toBe(200)
    expect((await request(env, `/v1/numbers/${A}`, operator({ method: 'PUT', body: '{}' }))).status).toBe(201)
    await tick(env, Date.now() + 1_200_000)
    const sent = await (await fetch(`${receiver}/_receiver/requests?path=${path}`)).json<{ requests: { headers: Record<string, string> }[] }>()
    expect(sent.requests.map((r) => r.headers['webhook-id'])).toEqual((await numberRecord(A)).history.map((e) => e.id).reverse())
    expect(sent.requests).toHaveLength(2)
    // Served again at once, with no new event: the key did not change while it was not watched.
    expect((await request(env, `/v1/numbers/${A}/jwks.json`)).status).toBe(200)
  })
})
