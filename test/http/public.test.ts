/** @module Public routes as INTERFACE.md states them: phone forms, errors, ETag and 304, caching, CORS, PEM, history, health. */
import { reset } from 'cloudflare:test'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { Account } from '../support/kaleyra'
import { makeKey } from '../support/keys'
import { forgetIsolateCache, operator, request, testEnv, tick } from '../support/worker'

const account = new Account('HXPUBLICTEST01IN', 'public-test-api-key-do-not-leak')
const A = '+919860000001'
const NO_KEY = '+919860000002'
const env = (): ReturnType<typeof testEnv> => testEnv(account, { WATCH_NUMBERS: `${A},${NO_KEY}` })

beforeAll(async () => {
  await account.create()
  await account.addNumber(A, { pem: (await makeKey()).pem })
  await account.addNumber(NO_KEY, { pem: null })
})
beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await tick(env())
})

async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  expect(res.headers.get('content-type')).toMatch(/application\/json/)
  const body = await res.json<{ error: { code: string; message: string } }>()
  expect(Object.keys(body)).toEqual(['error'])
  expect(body.error.message.length).toBeGreaterThan(10)
  return body.error
}

describe('phone numbers in paths', () => {
  it('reads +91…, %2B91… and 91… as the same number', async () => {
    const bodies = await Promise.all(
      ['+919860000001', '%2B919860000001', '919860000001'].map(async (p) => {
        const res = await request(env(), `/v1/numbers/${p}/jwks.json`)
        expect(res.status, p).toBe(200)
        return res.text()
      }),
    )
    expect(new Set(bodies).size).toBe(1)
  })

  it.each(['abc', '+1234567', '1234567890123456', '+91-98600', '%2', '++919860000001', '%252B919860000001', '%20%2B919860000001', '+919860000001%20'])(
    'answers 400 invalid_phone for %s',
    async (p) => {
      for (const route of ['jwks.json', 'key', 'history']) {
        const res = await request(env(), `/v1/numbers/${p}/${route}`)
        expect(res.status).toBe(400)
        expect((await errorOf(res)).code).toBe('invalid_phone')
      }
    },
  )

  it('answers 404 unknown_number for a number not watched, and 404 no_key for one without a good key', async () => {
    for (const route of ['jwks.json', 'key']) {
      let res = await request(env(), `/v1/numbers/+14155550100/${route}`)
      expect(res.status).toBe(404)
      expect((await errorOf(res)).code).toBe('unknown_number')
      res = await request(env(), `/v1/numbers/${NO_KEY}/${route}`)
      expect(res.status).toBe(404)
      expect((await errorOf(res)).code).toBe('no_key')
    }
    expect((await errorOf(await request(env(), '/v1/numbers/+14155550100/history'))).code).toBe('unknown_number')
  })

  it('answers 405 with Allow for a known route asked with another method', async () => {
    for (const [method, path, allow] of [
      ['POST', '/.well-known/jwks.json', 'GET, HEAD'],
      ['DELETE', `/v1/numbers/${A}/key`, 'GET, HEAD'],
      ['POST', '/healthz', 'GET, HEAD'],
    ]) {
      const res = await request(env(), path, { method })
      expect(res.status, `${method} ${path}`).toBe(405)
      expect(res.headers.get('allow')).toBe(allow)
      expect((await errorOf(res)).code).toBe('method_not_allowed')
    }
    const res = await request(env(), '/v1/notify/test', operator({ method: 'GET' }))
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
  })

  it('answers JSON 404 for routes that do not exist', async () => {
    const res = await request(env(), '/nope')
    expect(res.status).toBe(404)
    expect((await errorOf(res)).code).toBe('not_found')
  })
})

describe('caching and CORS', () => {
  it.each(['/.well-known/jwks.json', `/v1/numbers/${A}/jwks.json`, `/v1/numbers/${A}/key`, `/v1/numbers/${A}/history`])(
    '%s sends ETag, honours If-None-Match, allows any origin',
    async (path) => {
      const res = await request(env(), path)
      expect(res.status).toBe(200)
      const etag = res.headers.get('etag')
      expect(etag).toMatch(/^"[^"]+"$/)
      expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/)
      expect(res.headers.get('cache-control')).toMatch(/stale-if-error=\d+/)
      expect(res.headers.get('access-control-allow-origin')).toBe('*')
      for (const header of [etag as string, `W/${etag}`, `"other", ${etag}`, '*']) {
        const again = await request(env(), path, { headers: { 'if-none-match': header } })
        expect(again.status, header).toBe(304)
        expect(await again.text()).toBe('')
        expect(again.headers.get('etag')).toBe(etag)
      }
      expect((await request(env(), path, { headers: { 'if-none-match': '"other"' } })).status).toBe(200)
    },
  )

  it('answers a CORS preflight for the key routes', async () => {
    const res = await request(env(), '/.well-known/jwks.json', {
      method: 'OPTIONS',
      headers: { origin: 'https://example.com', 'access-control-request-method': 'GET' },
    })
    expect(res.status).toBeLessThan(300)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('changes the JWKS ETag when the key rotates', async () => {
    const before = (await request(env(), '/.well-known/jwks.json')).headers.get('etag')
    await account.rotate(A, (await makeKey()).pem)
    await tick(env(), Date.now() + 600_000)
    const after = await request(env(), '/.well-known/jwks.json', { headers: { 'if-none-match': before as string } })
    expect(after.status).toBe(200)
    expect(after.headers.get('etag')).not.toBe(before)
  })
})

describe('key route', () => {
  it('answers the PEM alone for Accept: application/x-pem-file', async () => {
    const json = await (await request(env(), `/v1/numbers/${A}/key`)).json<{ pem: string }>()
    const res = await request(env(), `/v1/numbers/${A}/key`, { headers: { accept: 'application/x-pem-file' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/x-pem-file/)
    // Decoded by hand: workerd warns when .text() reads a type it does not know as text, and a PEM is ASCII.
    expect(new TextDecoder().decode(await res.arrayBuffer())).toBe(json.pem)
  })

  it('weighs Accept q-values: q=0 refuses the PEM, JSON ranked higher wins', async () => {
    for (const [accept, pem] of [
      ['application/json, application/x-pem-file;q=0', false],
      ['application/x-pem-file;q=0.5, application/json', false],
      ['application/x-pem-file, */*;q=0.1', true],
      ['*/*', false],
    ] as const) {
      const res = await request(env(), `/v1/numbers/${A}/key`, { headers: { accept } })
      expect(res.headers.get('content-type')?.startsWith('application/x-pem-file'), accept).toBe(pem)
    }
  })
})

describe('history', () => {
  it('lists events newest first, and keeps them after the number is no longer watched', async () => {
    await account.setStatus(A, 'INVALID')
    await tick(env(), Date.now() + 600_000)
    const res = await request(env(), `/v1/numbers/${A}/history`)
    const body = await res.json<{ phone: string; events: { type: string; timestamp: string }[] }>()
    expect(body.phone).toBe(A)
    expect(body.events.map((e) => e.type)).toEqual(['key.signature_invalid', 'key.first_seen'])
    expect(Date.parse(body.events[0].timestamp)).toBeGreaterThan(Date.parse(body.events[1].timestamp))
    expect((await request(env(), `/v1/numbers/${A}`, operator({ method: 'DELETE' }))).status).toBe(200)
    expect((await request(env(), `/v1/numbers/${A}/key`)).status).toBe(404)
    const kept = await (await request(env(), `/v1/numbers/${A}/history`)).json<{ events: unknown[] }>()
    expect(kept.events).toHaveLength(2)
    await account.setStatus(A, 'VALID')
  })
})

describe('/healthz', () => {
  it('is 200 with the last run time after a check run', async () => {
    const res = await request(env(), '/healthz')
    expect(res.status).toBe(200)
    const body = await res.json<{ ok: boolean; last_run_at: string }>()
    expect(body.ok).toBe(true)
    expect(Date.parse(body.last_run_at)).toBeGreaterThan(Date.now() - 60_000)
  })

  it('is 503 when three cron firings pass with no complete run (and a grace for the queue to drain)', async () => {
    await reset()
    forgetIsolateCache()
    await tick(env(), Date.now() - 36 * 60_000)
    const res = await request(env(), '/healthz')
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'stale' } })
  })

  it('is 503 before any run, and when misconfigured, with the reason and never a stack', async () => {
    await reset()
    forgetIsolateCache()
    const none = await request(env(), '/healthz')
    expect(none.status).toBe(503)
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'no_check_yet' } })
    const cases: Record<string, Partial<ReturnType<typeof testEnv>>> = {
      KALEYRA_POD: { KALEYRA_POD: 'mars' },
      KALEYRA_API_KEY: { KALEYRA_API_KEY: '' },
      WATCH_NUMBERS: { WATCH_NUMBERS: '+919860000001,not-a-number' },
      KALEYRA_POD_URLS: { KALEYRA_POD_URLS: '{broken' },
      FAILING_AFTER: { FAILING_AFTER: 'zero' },
      WEBHOOK_SECRET: { WEBHOOK_URL: 'https://example.com/hook' },
    }
    for (const [name, vars] of Object.entries(cases)) {
      const res = await request(testEnv(account, { WATCH_NUMBERS: A, ...vars }), '/healthz')
      expect(res.status, name).toBe(503)
      const body = await res.json<{ error: { code: string; message: string }; problems: { name: string }[] }>()
      expect(body.error.code, name).toBe('misconfigured')
      expect(
        body.problems.map((p) => p.name),
        name,
      ).toContain(name)
      expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/)
    }
    const nothing = await request(testEnv(account, { WATCH_NUMBERS: '' }), '/healthz')
    expect(await nothing.json()).toMatchObject({ error: { code: 'misconfigured', message: expect.stringMatching(/Nothing to watch/) } })
  })
})

describe('pages', () => {
  it('serves an OpenAPI 3.1 document naming every route', async () => {
    const doc = await (await request(env(), '/openapi.json')).json<{ openapi: string; paths: Record<string, unknown> }>()
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/',
        '/.well-known/jwks.json',
        '/healthz',
        '/numbers/{phone}',
        '/openapi.json',
        '/v1/check',
        '/v1/notify/test',
        '/v1/numbers',
        '/v1/numbers/{phone}',
        '/v1/numbers/{phone}/history',
        '/v1/numbers/{phone}/jwks.json',
        '/v1/numbers/{phone}/key',
        '/v1/numbers/{phone}/mute',
        '/v1/numbers/{phone}/probe',
        '/v1/status',
      ].sort(),
    )
  })

  it('serves a human status page listing the numbers', async () => {
    const res = await request(env(), '/')
    expect(res.headers.get('content-type')).toMatch(/text\/html/)
    const page = await res.text()
    expect(page).toContain(A)
    expect(page).toContain(NO_KEY)
  })
})

describe('the API key stays secret', () => {
  const logged: string[] = []
  beforeEach(() => {
    for (const method of ['log', 'warn', 'error', 'info'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '))
      })
    }
  })
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('never appears in a response, a log line or KV, whatever happens', async () => {
    await account.fail('401', 1, A)
    await account.fail('timeout', 1, NO_KEY)
    const vars = { WATCH_NUMBERS: `${A},${NO_KEY}`, KALEYRA_TIMEOUT_MS: '200', FAILING_AFTER: '1' }
    const bodies: string[] = []
    const check = await request(testEnv(account, vars), '/v1/check', operator({ method: 'POST' }))
    bodies.push(await check.text())
    await tick(testEnv(account, { ...vars, KALEYRA_POD_URLS: JSON.stringify({ in: 'http://127.0.0.1:9' }) }), Date.now() + 600_000)
    for (const path of ['/healthz', '/', '/.well-known/jwks.json', '/v1/status', '/v1/numbers', `/v1/numbers/${A}/key`, `/v1/numbers/${A}/history`]) {
      bodies.push(await (await request(testEnv(account, vars), path, operator())).text())
    }
    bodies.push(await (await request(testEnv(account, { ...vars, KALEYRA_POD: 'mars' }), '/healthz')).text())
    const { env: bindings } = await import('cloudflare:workers')
    const stored = await bindings.KEYS.list()
    for (const { name } of stored.keys) bodies.push((await bindings.KEYS.get(name)) ?? '')
    expect(logged.length).toBeGreaterThan(3)
    expect(bodies.join('\n')).toContain('kaleyra_auth_failed')
    for (const text of [...bodies, ...logged]) expect(text).not.toContain(account.apiKey)
  })
})
