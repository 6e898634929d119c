/** @module /healthz keeps to flowkey's runs, carries the fleet summary, and `?strict=1` turns 503 when anything in it needs attention. */
import { reset } from 'cloudflare:test'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ChannelHealthView, FleetView, NumberView } from '../../src/http/views/fleet'
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
  fleet: { numbers: number; healthy: number; need_attention: number; reasons: Record<string, number>; channels: Record<string, number> }
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
      expect(body.fleet).toMatchObject({ numbers: 2, healthy: 2, need_attention: 0 })
    }
  })

  it('counts a wrong API key as every check failing: 200 by default, 503 needs_attention under strict', async () => {
    await tick(env({ KALEYRA_API_KEY: 'wrong-key' }), Date.now() + 60_000)
    const plain = await health()
    expect(plain.status).toBe(200)
    expect(plain.body.fleet).toMatchObject({ need_attention: 2, healthy: 0, reasons: { check_failing: 2 } })
    await tick(env({ KALEYRA_API_KEY: 'wrong-key' }), Date.now() + 120_000)
    const strict = await health(true)
    expect(strict.status).toBe(503)
    expect(strict.body.error?.code).toBe('needs_attention')
    expect(strict.body.fleet.reasons.check_outage).toBe(2)
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
  const number = (over: Partial<NumberView> = {}): NumberView => ({
    phone: '+919840000009',
    checked_at: '2026-11-25T11:59:00Z',
    outcome: 'key',
    error_code: null,
    consecutive_failures: 0,
    failing: false,
    kid: 'kid',
    signature_status: 'VALID',
    removed_kid: null,
    pod: 'in',
    endpoint: null,
    ...over,
  })
  const channel = (over: Partial<ChannelHealthView> = {}): ChannelHealthView => ({
    name: 'slack',
    configured: true,
    pending: 0,
    last_success_at: null,
    last_error_at: null,
    dead_letters_recent: 0,
    dead_letters_total: 0,
    ...over,
  })
  const view = (numbers: NumberView[], channels: ChannelHealthView[] = []): FleetView => ({
    now,
    last_run: {
      id: 'r',
      trigger: 'cron',
      cron: '*/10 * * * *',
      cost: { kv_reads: 2, kv_writes: 1, subrequests: 1 },
      started_at: '2026-11-25T11:59:00Z',
      finished_at: '2026-11-25T11:59:01Z',
      interval_ms: 600_000,
      checked: 1,
      succeeded: 1,
      failed: 0,
      events: 0,
      deferred: 0,
    },
    problems: [],
    numbers,
    channels,
  })

  it('counts an endpoint key mismatch and a failing endpoint (issue 9 data)', () => {
    const { status, body } = buildHealth(
      view([
        number({ endpoint: { outcome: 'key_mismatch', probed_at: null, http_status: 421, failing: false } }),
        number({ phone: '+919840000008', endpoint: { outcome: 'unreachable', probed_at: null, http_status: null, failing: true } }),
      ]),
      { strict: true, nextRunAt: null },
    )
    expect(status).toBe(503)
    expect(body.fleet.reasons).toMatchObject({ endpoint_mismatch: 1, endpoint_failing: 1 })
  })

  it('counts failing channels and recent dead letters, but not old ones', () => {
    const failing = buildHealth(view([number()], [channel({ last_error_at: '2026-11-25T11:00:00Z', last_success_at: '2026-11-25T10:00:00Z', pending: 3 })]), {
      strict: true,
      nextRunAt: null,
    })
    expect(failing.status).toBe(503)
    expect(failing.body.fleet.channels).toMatchObject({ configured: 1, failing: 1, pending: 3 })
    const recovered = buildHealth(
      view([number()], [channel({ last_error_at: '2026-11-25T10:00:00Z', last_success_at: '2026-11-25T11:00:00Z', dead_letters_total: 4 })]),
      { strict: true, nextRunAt: null },
    )
    expect(recovered.status).toBe(200)
    expect(recovered.body.fleet.channels.dead_letters_total).toBe(4)
    const dead = buildHealth(view([number()], [channel({ dead_letters_recent: 1, dead_letters_total: 1 })]), { strict: true, nextRunAt: null })
    expect(dead.status).toBe(503)
    expect(dead.body.error?.message).toMatch(/given up/)
  })

  it('keeps a stale run a 503 whatever the fleet says', () => {
    const stale = { ...view([number()]), now: now + 31 * 60_000 }
    expect(buildHealth(stale, { strict: false, nextRunAt: null })).toMatchObject({ status: 503, body: { error: { code: 'stale' } } })
  })
})
