/** @module The route table is the one source: what Hono serves, what /openapi.json lists, who needs the token, 405s and CORS all agree with it. */
import { reset } from 'cloudflare:test'
import { inspectRoutes } from 'hono/dev'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/http/app'
import { allowedMethods, honoPath } from '../../src/http/mount'
import { ROUTES } from '../../src/http/routes'
import { Account } from '../support/kaleyra'
import { makeKey } from '../support/keys'
import { forgetIsolateCache, operator, request, testEnv, tick } from '../support/worker'

const account = new Account('HXROUTESTEST01IN', 'routes-test-api-key')
const A = '+919850000001'
const env = (vars = {}): ReturnType<typeof testEnv> => testEnv(account, { WATCH_NUMBERS: A, ...vars })
const declarations = Object.values(ROUTES)
const concrete = (path: string): string => path.replace('{phone}', encodeURIComponent(A))

interface Doc {
  openapi: string
  paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>
  components: { securitySchemes: Record<string, unknown> }
}

beforeAll(async () => {
  await account.create()
  await account.addNumber(A, { pem: (await makeKey()).pem })
})
beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await tick(env())
})

async function doc(): Promise<Doc> {
  return (await request(env(), '/openapi.json')).json<Doc>()
}

describe('what is served is what is documented', () => {
  it('lists every route inspectRoutes finds in the document, and serves every documented operation', async () => {
    const app = createApp({ fetch, now: () => Date.now(), clock: () => Date.now(), log: () => {} })
    const served = inspectRoutes(app)
      .filter((r) => !r.isMiddleware && r.method !== 'ALL' && r.method !== 'OPTIONS')
      .map((r) => `${r.method} ${r.path}`)
    const documented = Object.entries((await doc()).paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${honoPath(path)}`))
    expect(new Set(served).size).toBe(served.length)
    expect([...served].sort()).toEqual([...documented].sort())
    expect(documented.length).toBe(declarations.length)
  })

  it('marks exactly the operator routes with bearer security', async () => {
    const { paths, components } = await doc()
    expect(components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' })
    for (const d of declarations) {
      const op = paths[d.route.path][d.route.method]
      expect(op.security, `${d.route.method} ${d.route.path}`).toEqual(d.access === 'operator' ? [{ bearer: [] }] : [])
      if (d.access === 'operator') expect(Object.keys(op.responses)).toContain('401')
    }
  })
})

describe('derived behaviour', () => {
  it.each(declarations.filter((d) => d.access === 'operator').map((d) => [d.route.method.toUpperCase(), d.route.path] as const))(
    '%s %s is refused without the token, before its input is read',
    async (method, path) => {
      for (const headers of [{}, { authorization: 'Bearer wrong' }] as Record<string, string>[]) {
        // A bad phone would be 400 if validation ran first: the token check comes before it.
        const res = await request(env(), path.replace('{phone}', 'not-a-phone'), { method, headers, body: method === 'GET' ? undefined : '{' })
        expect(res.status).toBe(401)
        expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } })
      }
    },
  )

  it('answers 405 with the Allow header derived from the table, on every path', async () => {
    for (const [path, allow] of allowedMethods(ROUTES)) {
      const method = allow.includes('PATCH') ? 'TRACE' : 'PATCH'
      const res = await request(env(), concrete(path), operator({ method }))
      expect(res.status, path).toBe(405)
      expect(res.headers.get('allow'), path).toBe(allow.join(', '))
      expect(await res.json()).toMatchObject({ error: { code: 'method_not_allowed' } })
    }
  })

  it('answers HEAD like GET, without a body, on every GET route', async () => {
    for (const d of declarations.filter((d) => d.route.method === 'get')) {
      const get = await request(env(), concrete(d.route.path), operator())
      const head = await request(env(), concrete(d.route.path), operator({ method: 'HEAD' }))
      expect(head.status, d.route.path).toBe(get.status)
      expect(head.headers.get('content-type'), d.route.path).toBe(get.headers.get('content-type'))
      expect(await head.text(), d.route.path).toBe('')
    }
  })

  it('sends CORS headers on exactly the routes declared with cors', async () => {
    for (const d of declarations.filter((d) => d.route.method === 'get')) {
      const res = await request(env(), concrete(d.route.path), operator())
      expect(res.headers.get('access-control-allow-origin'), d.route.path).toBe(d.cors ? '*' : null)
      if (d.cors) {
        const pre = await request(env(), concrete(d.route.path), {
          method: 'OPTIONS',
          headers: { origin: 'https://example.com', 'access-control-request-method': 'GET' },
        })
        expect(pre.status, d.route.path).toBeLessThan(300)
        expect(pre.headers.get('access-control-allow-origin')).toBe('*')
      }
    }
  })
})

describe('validation from the schemas', () => {
  it.each([
    ['GET', '/v1/numbers?limit=0'],
    ['GET', '/v1/status?limit=x'],
    ['GET', '/healthz?strict=yes'],
    ['GET', '/?q=1&cursor=forged'],
    ['GET', '/v1/status?cursor=3-12'],
    ['GET', `/?cursor=${'9'.repeat(21)}`],
    ['PUT', `/v1/numbers/${A}`, '{"sid":"HX OK"}'],
    ['PUT', `/v1/numbers/${A}`, '{"pod":"mars","sid":"HX"}'],
    ['PUT', `/v1/numbers/${A}`, '{"sid":"HX","endpoint_url":"ftp://x"}'],
    ['PUT', `/v1/numbers/${A}`, '[]'],
    ['PUT', `/v1/numbers/${A}`, '{'],
    ['POST', '/v1/numbers', '{"numbers":{}}'],
    ['POST', '/v1/numbers', '{"numbers":[{"phone":"12"}]}'],
  ])('%s %s %s is 400 invalid_request, never 500', async (method, path, body?: string) => {
    const res = await request(env(), path, operator({ method, body, headers: { 'content-type': 'application/json' } }))
    expect(res.status).toBe(400)
    const answer = await res.json<{ error: { code: string; message: string } }>()
    expect(answer.error.code).toBe('invalid_request')
    expect(answer.error.message.length).toBeGreaterThan(10)
  })

  it('lists every bad entry of a bulk import in error.entries, all or nothing', async () => {
    const numbers = [
      { phone: '+919850000011', sid: 'HXOK' },
      { phone: '12', sid: 'HXOK' },
      { phone: '+919850000013', sid: 'has space', pod: 'mars' },
    ]
    const res = await request(env(), '/v1/numbers', operator({ method: 'POST', body: JSON.stringify({ numbers }) }))
    expect(res.status).toBe(400)
    const { error } = await res.json<{ error: { code: string; entries: { index: number; phone: string | null; message: string }[] } }>()
    expect(error.code).toBe('invalid_request')
    expect(error.entries.map((e) => [e.index, e.phone])).toEqual([
      [1, '12'],
      [2, '+919850000013'],
    ])
    expect(error.entries[1].message).toMatch(/"sid"/)
  })

  it('keeps invalid_phone for a phone in the path, on validated and lean routes alike', async () => {
    for (const [method, path] of [
      ['GET', '/numbers/12'],
      ['PUT', '/v1/numbers/12'],
      ['DELETE', '/v1/numbers/abc'],
      ['POST', '/v1/numbers/1/probe'],
      ['GET', '/v1/numbers/12/key'],
    ]) {
      const res = await request(env(), path, operator({ method }))
      expect(res.status, path).toBe(400)
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_phone' } })
    }
  })
})
