/** @module Issue 8, findings 4 and 6 (SID): a configuration that could send a request somewhere unintended stops every check, and says so. */
import { reset } from 'cloudflare:test'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { parseConfig } from '../../src/config'
import type { Env } from '../../src/env'
import { Account } from '../support/kaleyra'
import { makeKey } from '../support/keys'
import { SecretSweep } from '../support/secret-sweep'
import { forgetIsolateCache, operator, request, testEnv, tick } from '../support/worker'
import { MINUTE, servedKeys, visitAll } from './helpers'

const API_KEY = 'Cf4Vg6Bh8Nj0Mk2Lp4Oi6Uy8Tr0Ew2Qa'
const account = new Account('HXSECCONFIG01IN', API_KEY)
const A = '+919870000001'

let sweep: SecretSweep
let stopLogs: () => void
beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
  sweep = new SecretSweep([API_KEY])
  stopLogs = sweep.captureLogs()
})
afterEach(() => {
  stopLogs()
  vi.restoreAllMocks()
})

const BAD_POD_URLS: Array<[string, string]> = [
  ['not JSON', '{in: http://127.0.0.1:9001}'],
  ['an array', '["http://127.0.0.1:9001"]'],
  ['a URL without a scheme', '{"in":"127.0.0.1:9001"}'],
  ['a relative URL', '{"in":"/v2"}'],
  ['a non-http scheme', '{"in":"ftp://127.0.0.1:9001"}'],
  ['a number', '{"in":9001}'],
  ['an unknown pod', '{"ind":"http://127.0.0.1:9001"}'],
]

describe('finding 4: KALEYRA_POD_URLS fails closed', () => {
  it.each(BAD_POD_URLS)('%s: no pod is asked (not the real ones either), /healthz names the problem, served keys stay', async (_, podUrls) => {
    await account.addNumber(A, { pem: (await makeKey()).pem })
    const good = testEnv(account, { WATCH_NUMBERS: A })
    const t0 = Date.now()
    await tick(good, t0)
    const before = await servedKeys(good, [A])
    await account.clearRequests()

    // `auto` is where the old fallback sent the real API key to all four real pods.
    const bad = testEnv(account, { WATCH_NUMBERS: A, KALEYRA_POD: 'auto', KALEYRA_POD_URLS: podUrls })
    const calls: string[] = []
    const realFetch = globalThis.fetch
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      calls.push(input instanceof Request ? input.url : String(input))
      return realFetch(input, init)
    })
    await tick(bad, t0 + 10 * MINUTE)
    const check = await request(bad, '/v1/check', operator({ method: 'POST' }))
    vi.restoreAllMocks()

    expect(calls.filter((url) => /kaleyra|\/v2\//i.test(url))).toEqual([])
    expect((await account.requests()).requests).toEqual([])
    const report = await check.json<{ numbers: { error: { code: string; message: string } }[] }>()
    expect(report.numbers[0].error).toMatchObject({ code: 'misconfigured', message: expect.stringMatching(/KALEYRA_POD_URLS/) })
    const health = await request(bad, '/healthz')
    expect(health.status).toBe(503)
    const body = await health.json<{ error: { code: string; message: string }; problems: { name: string; message: string }[] }>()
    expect(body.error.code).toBe('misconfigured')
    expect(body.problems.map((p) => p.name)).toContain('KALEYRA_POD_URLS')
    expect(body.error.message).toMatch(/No Kaleyra pod is asked until it is fixed/)
    expect(await servedKeys(bad, [A])).toEqual(before)
    await visitAll(bad, sweep, [A])
    sweep.expectClean()
  })

  it('a good override still works, and trailing slashes (any number of them) are trimmed', () => {
    const { config, problems } = parseConfig({ KALEYRA_POD_URLS: `{"in":"http://127.0.0.1:9001${'/'.repeat(5000)}"}` } as unknown as Env)
    // The empty config has other problems (no SID, nothing to watch); none is about the pod URLs.
    expect(problems.filter((p) => p.name === 'KALEYRA_POD_URLS')).toEqual([])
    expect(config.podUrls?.in).toBe('http://127.0.0.1:9001')
  })
})

describe('finding 6: KALEYRA_SID is validated like SIDs on PUT', () => {
  it.each([['..'], ['../../v1'], ['HX/AP'], ['HX%2FAP'], ['HX AP'], ['A'.repeat(65)]])('%j: no request is sent, /healthz says why', async (sid) => {
    await account.addNumber(A, { pem: (await makeKey()).pem })
    await account.clearRequests()
    const env = testEnv(account, { WATCH_NUMBERS: A, KALEYRA_SID: sid })
    // A check asked for now: with no usable SID it has nothing to send, and sends nothing.
    await request(env, '/v1/check', operator({ method: 'POST' }))
    expect((await account.requests()).requests).toEqual([])
    const health = await request(env, '/healthz')
    expect(health.status).toBe(503)
    const body = await health.json<{ problems: { name: string; message: string }[] }>()
    expect(body.problems).toContainEqual({ name: 'KALEYRA_SID', message: expect.stringMatching(/is not a Kaleyra SID/) })
  })

  it('PUT /v1/numbers refuses the same SIDs with the same rule', async () => {
    const env = testEnv(account)
    for (const sid of ['..', 'HX/AP', 'A'.repeat(65)]) {
      const res = await request(env, `/v1/numbers/${A}`, operator({ method: 'PUT', body: JSON.stringify({ sid }) }))
      expect(res.status, sid).toBe(400)
    }
    const ok = await request(env, `/v1/numbers/${A}`, operator({ method: 'PUT', body: JSON.stringify({ sid: account.sid }) }))
    expect(ok.status).toBe(201)
  })
})
