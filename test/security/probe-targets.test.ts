/** @module What a token holder can make the probe do: no target turned inward or back at flowkey, one probe in flight per number, redirects named without their target. */
import { reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { FlowEndpoints } from '../support/flow-endpoint'
import { Account } from '../support/kaleyra'
import { exportPKCS8, makeKey } from '../support/keys'
import { forgetIsolateCache, operator, request, testEnv, tick } from '../support/worker'

const account = new Account('HXSECPROBE01IN', 'Zx8Cv6Bn4Mm2Ll0Kk8Jj6Hh4Gg2Ff0Dd')
const endpoints = new FlowEndpoints('/t/sec-probe')
const A = '+919893000001'
/** testEnv sets ALLOW_PRIVATE_ENDPOINTS=true, as npm start does; a deployment leaves it unset. */
const deployed = (vars = {}) => testEnv(account, { WATCH_NUMBERS: A, ALLOW_PRIVATE_ENDPOINTS: undefined, ...vars })
const local = (vars = {}) => testEnv(account, { WATCH_NUMBERS: A, ...vars })

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await Promise.all([account.create(), endpoints.reset()])
})

const putEndpoint = (env: ReturnType<typeof testEnv>, url: string): Promise<Response> =>
  request(env, `/v1/numbers/${A}`, operator({ method: 'PUT', body: JSON.stringify({ endpoint_url: url }) }))

async function pairedEndpoint(name: string, settings: { latencyMs?: number; mode?: 'redirect' } = {}): Promise<string> {
  const key = await makeKey()
  await account.addNumber(A, { pem: key.pem })
  await endpoints.put(name, { privateKey: await exportPKCS8(key.privateKey), ...settings })
  return endpoints.url(name)
}

describe('endpoint URLs that point inward are refused', () => {
  it.each([
    ['https://169.254.169.254/latest/meta-data/', /link-local \(cloud metadata\) address/],
    ['https://[::ffff:127.0.0.1]:9443/', /loopback address .* IPv4-mapped/],
    ['https://2130706433/', /loopback address/],
    ['https://10.0.0.5/flow', /private address/],
    ['http://127.0.0.1:9000/flow', /loopback address .*ALLOW_PRIVATE_ENDPOINTS=true/],
  ])('PUT %s is 400 invalid_request saying why', async (url, why) => {
    const res = await putEndpoint(deployed(), url)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: { code: 'invalid_request', message: expect.stringMatching(why) } })
  })

  it('POST /v1/numbers lists the inward entry and applies nothing', async () => {
    const numbers = [
      { phone: A, sid: account.sid, endpoint_url: 'https://flows.example.com/data' },
      { phone: '+919893000002', sid: account.sid, endpoint_url: 'https://[fd00::1]/data' },
    ]
    const res = await request(deployed(), '/v1/numbers', operator({ method: 'POST', body: JSON.stringify({ numbers }) }))
    expect(res.status).toBe(400)
    const body = await res.json<{ error: { entries: { index: number; message: string }[] } }>()
    expect(body.error.entries).toEqual([{ index: 1, phone: '+919893000002', message: expect.stringContaining('unique-local address') }])
  })

  it("never flowkey's own origin, not even with ALLOW_PRIVATE_ENDPOINTS=true (tests reach flowkey at https://flowkey.test)", async () => {
    for (const url of ['https://flowkey.test/v1/check', 'https://FLOWKEY.test:443/healthz']) {
      const res = await putEndpoint(local(), url)
      expect(res.status).toBe(400)
      expect((await res.json<{ error: { message: string } }>()).error.message).toContain("is flowkey's own origin")
    }
  })

  it("never /cdn-cgi/, where wrangler dev starts the worker's own cron", async () => {
    const res = await putEndpoint(local(), 'http://127.0.0.1:8787/cdn-cgi/handler/scheduled')
    expect(res.status).toBe(400)
    expect((await res.json<{ error: { message: string } }>()).error.message).toContain('/cdn-cgi/')
  })

  it('a URL stored while private hosts were allowed is never connected to once they are not: not by the route, not by a run', async () => {
    const url = await pairedEndpoint('was-allowed')
    expect((await putEndpoint(local(), url)).status).toBe(200)
    const env = deployed()
    const probe = await request(env, `/v1/numbers/${A}/probe`, operator({ method: 'POST' }))
    expect(probe.status).toBe(400)
    expect(await probe.json()).toEqual({ error: { code: 'invalid_request', message: expect.stringMatching(/is not probed: .* loopback address/) } })
    await tick(env)
    const status = await (await request(env, '/v1/status', operator())).json<{ numbers: { endpoint: { outcome: string } | null }[] }>()
    expect(status.numbers[0]?.endpoint).toMatchObject({ outcome: 'unreachable' })
    expect(await endpoints.calls('was-allowed')).toEqual([])
  })
})

describe('one probe in flight per number', () => {
  it('100 concurrent POST …/probe send the endpoint one ping, and every caller gets its outcome', async () => {
    const env = local()
    const url = await pairedEndpoint('flooded', { latencyMs: 400 })
    await putEndpoint(env, url)
    await request(env, `/v1/check?phone=${encodeURIComponent(A)}`, operator({ method: 'POST' }))
    const before = (await endpoints.calls('flooded')).length
    const answers = await Promise.all(Array.from({ length: 100 }, () => request(env, `/v1/numbers/${A}/probe`, operator({ method: 'POST' }))))
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200))
    const bodies = await Promise.all(answers.map((r) => r.json<{ outcome: string; probed_at: string }>()))
    expect(await endpoints.calls('flooded')).toHaveLength(before + 1)
    expect(new Set(bodies.map((b) => `${b.outcome} ${b.probed_at}`)).size).toBe(1)
    // Once it has landed, the next caller probes anew.
    await request(env, `/v1/numbers/${A}/probe`, operator({ method: 'POST' }))
    expect(await endpoints.calls('flooded')).toHaveLength(before + 2)
  })
})

describe('a redirect is named by its status, never its target', () => {
  it('the answer, /v1/status and history say 302 and that it is not followed, without the Location', async () => {
    const env = local()
    const url = await pairedEndpoint('moving', { mode: 'redirect' })
    await putEndpoint(env, url)
    await request(env, `/v1/check?phone=${encodeURIComponent(A)}`, operator({ method: 'POST' }))
    const res = await request(env, `/v1/numbers/${A}/probe`, operator({ method: 'POST' }))
    const body = await res.json<{ outcome: string; http_status: number; detail: string }>()
    expect(body).toMatchObject({ outcome: 'http_error', http_status: 302, detail: expect.stringContaining('302, a redirect, which flowkey does not follow') })
    for (const text of [JSON.stringify(body), await (await request(env, '/v1/status', operator())).text()]) expect(text).not.toContain('/moved')
  })
})
