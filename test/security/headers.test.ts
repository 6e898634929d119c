/** @module Security headers on every kind of answer: pages, public and operator JSON, PEM, 304, errors of every status, preflights. */
import { reset } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES } from '../../src/http/body-limit'
import { Account } from '../support/kaleyra'
import { makeKey } from '../support/keys'
import { forgetIsolateCache, operator, request, testEnv, tick } from '../support/worker'

const account = new Account('HXSECHEAD01IN', 'Hd7Rs9Tu1Vw3Xy5Za7Bc9De1Fg3Hi5Jk')
const A = '+919894000001'
const env = () => testEnv(account, { WATCH_NUMBERS: A })
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

beforeAll(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
  await account.addNumber(A, { pem: (await makeKey()).pem })
  await tick(env())
})

const ROUTE_KINDS: [string, string, RequestInit, number][] = [
  ['status page (HTML)', '/', {}, 200],
  ['number page (HTML)', `/numbers/${A}`, {}, 200],
  ['page of an unknown number (HTML 404)', '/numbers/+919894000099', {}, 404],
  ['health (JSON)', '/healthz', {}, 200],
  ['fleet JWKS', '/.well-known/jwks.json', {}, 200],
  ['key (JSON)', `/v1/numbers/${A}/key`, {}, 200],
  ['key (PEM)', `/v1/numbers/${A}/key`, { headers: { accept: 'application/x-pem-file' } }, 200],
  ['key, not modified', `/v1/numbers/${A}/key`, { headers: { 'if-none-match': '*' } }, 304],
  ['public history', `/v1/numbers/${A}/history`, {}, 200],
  ['OpenAPI', '/openapi.json', {}, 200],
  ['HEAD of a key', `/v1/numbers/${A}/jwks.json`, { method: 'HEAD' }, 200],
  ['operator JSON', '/v1/status', operator(), 200],
  ['401', '/v1/status', {}, 401],
  ['400 invalid_phone, echoing the path', '/v1/numbers/%3Cscript%3Ealert(1)%3C%2Fscript%3E/key', {}, 400],
  ['400 invalid_request', '/v1/status?limit=0', operator(), 400],
  ['404 unknown_number', '/v1/numbers/+919894000099/key', {}, 404],
  ['404 of no route, echoing the path', '/%3Chtml%3E', {}, 404],
  ['405', '/.well-known/jwks.json', { method: 'POST' }, 405],
  ['413', `/v1/numbers/${A}`, operator({ method: 'PUT', body: 'x'.repeat(MAX_BODY_BYTES + 1) }), 413],
  ['CORS preflight', `/v1/numbers/${A}/key`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' } }, 204],
]

describe('every answer', () => {
  it.each(ROUTE_KINDS)('%s: nosniff, CSP without script, no framing, no referrer', async (_, path, init, status) => {
    const res = await request(env(), path, init)
    expect(res.status).toBe(status)
    await res.arrayBuffer()
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-security-policy')).toBe(CSP)
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/)
  })
})

describe('what the headers leave working', () => {
  it('public key routes stay readable from other origins', async () => {
    for (const path of ['/.well-known/jwks.json', `/v1/numbers/${A}/key`, `/v1/numbers/${A}/jwks.json`]) {
      const res = await request(env(), path)
      await res.arrayBuffer()
      expect(res.headers.get('access-control-allow-origin')).toBe('*')
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    }
    const page = await request(env(), '/')
    await page.arrayBuffer()
    expect(page.headers.get('cross-origin-resource-policy')).toBe('same-origin')
  })

  it('pages hold no script and nothing the policy would block', async () => {
    for (const path of ['/', `/numbers/${A}`]) {
      const html = await (await request(env(), path)).text()
      expect(html).not.toMatch(/<script|\son[a-z]+=|javascript:/i)
      expect(html.match(/\s(?:src|href)="(?!\/|data:|#|\?)[^"]*"/g) ?? []).toEqual([])
    }
  })
})
