/** @module Issue 8, finding 5: a run against a black-holed or slow pod ends within its bounds with every number recorded, and check.failing goes out. */
import { reset } from 'cloudflare:test'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config'
import { BREAKER_THRESHOLD, createCircuitBreaker } from '../../src/watch/circuit-breaker'
import { checkBatch } from '../../src/watch/check-batch'
import { startRunDeadline } from '../../src/watch/run-deadline'
import { Account } from '../support/kaleyra'
import { lastRun, numberStatus } from '../support/ledger'
import { makeKey } from '../support/keys'
import { SecretSweep } from '../support/secret-sweep'
import { forgetIsolateCache, operator, request, testEnv, tick } from '../support/worker'
import { Receiver, channelEnv, verify } from '../notify/helpers'
import { MINUTE, servedKeys, visitAll } from './helpers'

const API_KEY = 'Hb5Nj7Mk9Lo1Ip3Uy5Tr7Ee9Ww1Qq3Zz'
const account = new Account('HXSECBOUND01IN', API_KEY)
const receiver = new Receiver('/security-bounded')
const PHONES = Array.from({ length: 40 }, (_, i) => `+91988${String(i + 1).padStart(7, '0')}`)

let sweep: SecretSweep
let stopLogs: () => void
beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
  await receiver.reset()
  const pem = (await makeKey()).pem
  for (const phone of PHONES) await account.addNumber(phone, { pem })
  sweep = new SecretSweep([API_KEY])
  stopLogs = sweep.captureLogs()
})
afterEach(() => stopLogs())

describe('a black-holed pod', () => {
  it('is given up on after a few silent numbers: every number is recorded failing each run, and check.failing goes out after FAILING_AFTER runs', async () => {
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: PHONES.join(','), KALEYRA_TIMEOUT_MS: '300', FAILING_AFTER: '3' })
    const t0 = Date.now()
    await tick(env, t0)
    const before = await servedKeys(env, PHONES.slice(0, 3))
    await receiver.reset()
    // Accepts every connection and never answers, for longer than this test runs.
    await account.fail('timeout', 100_000)

    for (let run = 1; run <= 3; run++) {
      await account.clearRequests()
      await tick(env, t0 + run * 10 * MINUTE)
      expect((await lastRun())?.checked).toBe(PHONES.length)
      const statuses = await Promise.all(PHONES.map((phone) => numberStatus(phone)))
      for (const [i, status] of statuses.entries()) {
        expect(status.outcome, PHONES[i]).toBe('error')
        expect(status.consecutive_failures, PHONES[i]).toBe(run)
        expect(['kaleyra_timeout', 'kaleyra_unreachable'], PHONES[i]).toContain(status.error?.code)
      }
      const skipped = statuses.filter((s) => /not asked: 3 numbers in a row got no answer/.test(s.error?.message ?? ''))
      expect(skipped.length).toBeGreaterThanOrEqual(PHONES.length - 6 - BREAKER_THRESHOLD)
      // Bounded work: the six in flight, plus the numbers that took the slots of the first silent ones
      // before the circuit opened, each with its three attempts; not 40 × 3.
      const { requests } = await account.requests()
      expect(requests.length).toBeLessThanOrEqual((6 + BREAKER_THRESHOLD - 1) * 3)
    }

    const failing = (await receiver.requests('/hook', { min: PHONES.length })).map((r) => verify(r)).filter((e) => e.type === 'check.failing')
    expect(failing.map((e) => e.data.phone).sort()).toEqual([...PHONES].sort())
    expect(await servedKeys(env, PHONES.slice(0, 3))).toEqual(before)
    sweep.received('webhook', await receiver.requests('/hook'))
    await visitAll(env, sweep, PHONES.slice(0, 2))
    sweep.expectClean()
    await account.clearFaults()
  })
})

describe('POST /v1/check against a black-holed pod', () => {
  it('answers with every number failing, after a bounded number of requests', async () => {
    const phones = PHONES.slice(0, 20)
    const env = testEnv(account, { WATCH_NUMBERS: phones.join(','), KALEYRA_TIMEOUT_MS: '300' })
    await account.fail('timeout', 100_000)
    await account.clearRequests()
    const res = await request(env, '/v1/check', operator({ method: 'POST' }))
    expect(res.status).toBe(200)
    const report = await res.json<{ numbers: { phone: string; error: { code: string } | null }[] }>()
    expect(report.numbers).toHaveLength(phones.length)
    for (const n of report.numbers) expect(['kaleyra_timeout', 'kaleyra_unreachable'], n.phone).toContain(n.error?.code)
    expect((await account.requests()).requests.length).toBeLessThanOrEqual((6 + BREAKER_THRESHOLD - 1) * 3)
    await account.clearFaults()
  })
})

describe('a slow pod and the run deadline', () => {
  it('a batch records the numbers it had no time for as failing instead of running on, and checks them next time', async () => {
    // 40 numbers, six at a time, 200 ms each: about 1.4 s of work against a 1 s deadline.
    const phones = PHONES
    const { config } = parseConfig(testEnv(account, { WATCH_NUMBERS: phones.join(',') }))
    // One CHECKS message, checked as the queue consumer checks it, with a short deadline.
    const message = { numbers: phones.map((phone) => ({ phone, sid: account.sid, pod: 'in' as const, endpoint_url: null })), pods: {} }
    const io = { fetch, now: () => Date.now(), clock: () => Date.now(), runDeadlineMs: 1_000 }
    await account.latency(200)
    const slow = await checkBatch(config, message, io)
    expect(slow.observed).toHaveLength(phones.length)
    const ok = slow.observed.filter((o) => o.look.observation.kind === 'key')
    const late = slow.observed.flatMap((o) => (o.look.observation.kind === 'error' ? [o.look.observation.error] : []))
    expect(ok.length).toBeGreaterThan(0)
    expect(late.length).toBeGreaterThan(0)
    for (const error of late) expect(['kaleyra_timeout', 'kaleyra_unreachable']).toContain(error.code)
    expect(late.some((error) => /deadline \(1000 ms\) had passed/.test(error.message))).toBe(true)

    await account.latency(0)
    const next = await checkBatch(config, message, io)
    expect(next.observed.every((o) => o.look.observation.kind === 'key')).toBe(true)
  })
})

describe('the bounds on their own', () => {
  it('the breaker opens per pod after BREAKER_THRESHOLD silent numbers in a row; an answer in between resets the count', () => {
    const breaker = createCircuitBreaker()
    const inPod = breaker.forHost('Kaleyra pod in')
    for (let i = 0; i < BREAKER_THRESHOLD - 1; i++) inPod.failed()
    inPod.answered()
    for (let i = 0; i < BREAKER_THRESHOLD - 1; i++) inPod.failed()
    expect(inPod.refusal()).toBeNull()
    inPod.failed()
    expect(inPod.refusal()).toMatch(/Kaleyra pod in was not asked/)
    // Another pod, and the same pod in the next run, are asked afresh.
    expect(breaker.forHost('Kaleyra pod sg').refusal()).toBeNull()
    expect(createCircuitBreaker().forHost('Kaleyra pod in').refusal()).toBeNull()
  })

  it('the deadline counts real time from its start and refuses once passed', () => {
    let now = 1_000
    const deadline = startRunDeadline(75_000, () => now)
    expect(deadline.remainingMs()).toBe(75_000)
    now += 74_999
    expect(deadline.refusal()).toBeNull()
    now += 1
    expect(deadline.remainingMs()).toBe(0)
    expect(deadline.refusal()).toMatch(/deadline \(75 s\) had passed/)
  })
})
