/** @module /healthz keeps to flowkey's runs, carries the fleet summary, and `?strict=1` turns 503 when anything in it needs attention. */
import { reset } from 'cloudflare:test'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FleetHealth } from '../../src/ledger/views'
import { buildHealth } from '../../src/http/views/health'
import { Account } from '../support/kaleyra'
import { makeKey } from '../support/keys'
import { forgetIsolateCache, request, testEnv, tick } from '../support/worker'

const account = new Account('HXHEALTHTEST01IN', 'health-test-api-key')
const A = '+919840000001'
const B = '+919840000002'
const env = (vars = {}): ReturnType<typeof testEnv> => testEnv(account, { WATCH_NUMBERS: `${A},${B}`, FAILING_AFTER: '2', ...vars })

interface Health {
  ok: boolean
  error?: { code: string; message: string }
  fleet: { attention: number; reasons: Record<string, number>; notifications: { needing_attention: string[]; failing_channels: string[] } }
}

async function health(strict = false, vars = {}): Promise<{ status: number; body: Health }> {
  const res = await request(env(vars), strict ? '/healthz?strict=1' : '/healthz')
  return { status: res.status, body: await res.json<Health>() }
}

beforeAll(async () => {
  await account.create()
})
beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.clearFaults()
  await account.addNumber(A, { pem: (await makeKey()).pem, status: 'VALID' })
  await account.addNumber(B, { pem: (await makeKey()).pem, status: 'VALID' })
  await tick(env())
})

describe('the fleet summary', () => {
  it('is all healthy, and strict agrees, when every number is', async () => {
    for (const strict of [false, true]) {
      const { status, body } = await health(strict)
      expect(status).toBe(200)
      expect(body.fleet).toMatchObject({ attention: 0, notifications: { needing_attention: [], failing_channels: [] } })
    }
  })

  it('counts a wrong API key as every check failing once FAILING_AFTER is reached: 200 by default, 503 needs_attention under strict', async () => {
    await tick(env({ KALEYRA_API_KEY: 'wrong-key' }), Date.now() + 60_000)
    // One failed check is a blip, not a reason: strict stays green.
    for (const strict of [false, true])
      expect(await health(strict)).toMatchObject({ status: 200, body: { fleet: { attention: 0, reasons: { check_failing: 0 } } } })
    await tick(env({ KALEYRA_API_KEY: 'wrong-key' }), Date.now() + 120_000)
    const plain = await health()
    expect(plain.status).toBe(200)
    expect(plain.body.fleet).toMatchObject({ attention: 2, reasons: { check_failing: 2 } })
    const strict = await health(true)
    expect(strict.status).toBe(503)
    expect(strict.body.error?.code).toBe('needs_attention')
    expect(strict.body.fleet.reasons.check_failing).toBe(2)
    expect(strict.body.error?.message).toMatch(/2 of 2 numbers need attention/)
  })

  it('counts a signature that is not VALID and a removed key', async () => {
    await account.setStatus(A, 'MISMATCH')
    await account.removeKey(B)
    await tick(env(), Date.now() + 60_000)
    const { status, body } = await health(true)
    expect(status).toBe(503)
    expect(body.fleet.reasons).toMatchObject({ signature_invalid: 1, key_removed: 1 })
    expect((await health()).status).toBe(200)
  })

  it('still answers misconfigured before the fleet, strict or not', async () => {
    const { status, body } = await health(true, { KALEYRA_POD: 'mars' })
    expect(status).toBe(503)
    expect(body.error?.code).toBe('misconfigured')
  })
})

describe('buildHealth (pure)', () => {
  const now = Date.parse('2026-11-25T12:00:00Z')
  const reasons = { check_failing: 0, signature_invalid: 0, key_removed: 0, no_key: 0, endpoint_key_mismatch: 0, endpoint_failing: 0 }
  const health = (over: Partial<FleetHealth['fleet']> = {}, startedAt = '2026-11-25T11:59:00Z'): FleetHealth & { cron: string | null } => ({
    cron: '*/10 * * * *',
    last_run: {
      id: 'r',
      trigger: 'cron',
      cron: '*/10 * * * *',
      started_at: startedAt,
      finished_at: startedAt,
      batches: 1,
      reported: 1,
      dead: 0,
      checked: 2,
      succeeded: 2,
      failed: 0,
      events: 0,
      skipped: 0,
      kv_writes: 0,
      max_subrequests: null,
      max_in_flight: null,
    },
    draining: null,
    numbers: 2,
    fleet: { attention: 0, reasons, examples: [], notifications: { needing_attention: [], failing_channels: [], pending: 0, dead_letters: 0 }, ...over },
  })

  it('answers needs_attention under strict for an endpoint key mismatch and a failing endpoint , 200 without strict', () => {
    const fleet = { attention: 2, reasons: { ...reasons, endpoint_key_mismatch: 1, endpoint_failing: 1 } }
    const strict = buildHealth(health(fleet), [], { strict: true, now })
    expect(strict.status).toBe(503)
    expect(strict.body.error).toMatchObject({ code: 'needs_attention', message: expect.stringMatching(/1 endpoint key mismatch, 1 endpoint failing/) })
    expect(buildHealth(health(fleet), [], { strict: false, now }).status).toBe(200)
  })

  it('turns strict 503 for a notification channel needing attention', () => {
    const failing = buildHealth(health({ notifications: { needing_attention: ['slack'], failing_channels: ['slack'], pending: 3, dead_letters: 0 } }), [], {
      strict: true,
      now,
    })
    expect(failing.status).toBe(503)
    expect(failing.body.error).toMatchObject({ code: 'needs_attention', message: expect.stringMatching(/slack/) })
  })

  it('keeps a stale run a 503 whatever the fleet says', () => {
    const stale = buildHealth(health({}, '2026-11-25T11:00:00Z'), [], { strict: false, now })
    expect(stale).toMatchObject({ status: 503, body: { error: { code: 'stale' } } })
  })

  it('is not stale while a run longer than the stale limit keeps reporting batches, and is once they stop', () => {
    const draining = (lastReportAt: string) => ({
      ...health({}, '2026-11-25T11:00:00Z'),
      draining: { run_id: 'slow', started_at: '2026-11-25T11:00:00Z', batches: 100, reported: 60, last_report_at: lastReportAt },
    })
    expect(buildHealth(draining('2026-11-25T11:59:30Z'), [], { strict: false, now }).status).toBe(200)
    expect(buildHealth(draining('2026-11-25T11:40:00Z'), [], { strict: false, now })).toMatchObject({ status: 503, body: { error: { code: 'stale' } } })
  })
})
