/** @module The probe against the Flow endpoint emulator (node:crypto): each outcome of INTERFACE.md, and that nothing but the signed ping is sent. */
import { calculateJwkThumbprint } from 'jose'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { probeEndpoint, type ProbeTarget } from '../../src/probe/probe'
import type { RsaPublicJwk } from '../../src/probe/flow-crypto'
import { Secret } from '../../src/secret'
import { closedPortUrl, FlowEndpoints } from '../support/flow-endpoint'
import { exportJWK, exportPKCS8, makeKey } from '../support/keys'

const endpoints = new FlowEndpoints('/t/probe-test')
const APP_SECRET = 'meta-app-secret-probe-test'
const TOKEN_QUERY = '?token=s3cr3t-query-token'

let jwk: RsaPublicJwk
let kid: string
let privateKey: string
let otherPrivateKey: string
let clock = 0

const options = (timeoutMs = 2_000) => ({ fetch, now: () => (clock += 7), timeoutMs })
const target = (name: string, overrides: Partial<ProbeTarget> = {}): ProbeTarget => ({
  url: endpoints.url(name, TOKEN_QUERY),
  key: jwk,
  appSecret: null,
  ...overrides,
})

beforeAll(async () => {
  const [key, other] = await Promise.all([makeKey(), makeKey()])
  const exported = await exportJWK(key.publicKey)
  kid = await calculateJwkThumbprint({ kty: 'RSA', n: exported.n ?? '', e: exported.e ?? '' }, 'sha256')
  jwk = { kty: 'RSA', n: exported.n ?? '', e: exported.e ?? '', kid }
  privateKey = await exportPKCS8(key.privateKey)
  otherPrivateKey = await exportPKCS8(other.privateKey)
})
beforeEach(async () => {
  await endpoints.reset()
})

describe('a healthy endpoint', () => {
  it('decrypts the ping with node:crypto and answers it: ok, with status, latency, kid and the URL without its query', async () => {
    await endpoints.put('healthy', { privateKey })
    const result = await probeEndpoint(target('healthy'), options())
    expect(result).toMatchObject({ outcome: 'ok', http_status: 200, latency_ms: 7, kid, signed: false, inconclusive: false, detail: null })
    expect(result.url).toBe(endpoints.url('healthy'))
    expect(result.advice).toContain(kid)
    expect(new Date(result.probed_at).toISOString()).toBe(result.probed_at)

    const [call] = await endpoints.calls('healthy')
    expect(call.decrypted?.plaintext).toBe('{"version":"3.0","action":"ping"}')
    expect(call.decrypted?.ivHex).toHaveLength(32)
    expect(call.decrypted?.aesKeyHex).toHaveLength(32)
    expect(call.query).toBe(TOKEN_QUERY)
  })

  it('sends only the ping: one POST, three fields, JSON, no flow_token, and no signature without an app secret', async () => {
    await endpoints.put('only-ping', { privateKey })
    await probeEndpoint(target('only-ping'), options())
    const calls = await endpoints.calls('only-ping')
    expect(calls).toHaveLength(1)
    const [call] = calls
    expect(call.method).toBe('POST')
    expect(call.fields).toEqual(['encrypted_aes_key', 'encrypted_flow_data', 'initial_vector'])
    expect(call.headers['content-type']).toBe('application/json')
    expect(call.headers['x-hub-signature-256']).toBeUndefined()
    expect(call.decrypted?.plaintext).not.toContain('flow_token')
  })

  it('signs with the app secret over the exact body: the emulator verifies the HMAC with node:crypto', async () => {
    await endpoints.put('signed', { privateKey, appSecret: APP_SECRET })
    const result = await probeEndpoint(target('signed', { appSecret: new Secret(APP_SECRET) }), options())
    expect(result).toMatchObject({ outcome: 'ok', signed: true })
    const [call] = await endpoints.calls('signed')
    expect(call.signature).toBe('valid')
    expect(call.headers['x-hub-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/)
  })

  it('accepts the key as a PEM and an answer wrapped in JSON quotes', async () => {
    const { pem, privateKey: pair } = await makeKey()
    await endpoints.put('quoted', { privateKey: await exportPKCS8(pair), mode: 'quoted' })
    const result = await probeEndpoint(target('quoted', { key: pem }), options())
    expect(result.outcome).toBe('ok')
    expect(result.kid).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect((await endpoints.calls('quoted'))[0].answer).toMatch(/^ ".+"\n$/)
  })
})

describe('an endpoint with another private key', () => {
  it("answers 421 (Meta's example): key_mismatch, and the advice names the kid to deploy", async () => {
    await endpoints.put('other-key', { privateKey: otherPrivateKey })
    const result = await probeEndpoint(target('other-key'), options())
    expect(result).toMatchObject({ outcome: 'key_mismatch', http_status: 421, kid })
    expect(result.advice).toContain(`the private key whose kid is ${kid}`)
    expect(result.advice).toContain('re-upload')
    expect((await endpoints.calls('other-key'))[0].decryptError).toMatch(/^RSA/)
  })

  it('after the endpoint swaps to the right key, ok again', async () => {
    await endpoints.put('swap', { privateKey: otherPrivateKey })
    expect((await probeEndpoint(target('swap'), options())).outcome).toBe('key_mismatch')
    await endpoints.put('swap', { privateKey })
    expect((await probeEndpoint(target('swap'), options())).outcome).toBe('ok')
  })
})

describe('signatures', () => {
  it('an unsigned probe to an endpoint that checks signatures: 432, inconclusive', async () => {
    await endpoints.put('checks', { privateKey, appSecret: APP_SECRET })
    const result = await probeEndpoint(target('checks'), options())
    expect(result).toMatchObject({ outcome: 'signature_rejected', http_status: 432, signed: false, inconclusive: true })
    expect(result.advice).toMatch(/^Inconclusive.*META_APP_SECRET/)
    expect((await endpoints.calls('checks'))[0].signature).toBe('absent')
  })

  it('a probe signed with the wrong secret: 432, conclusive', async () => {
    await endpoints.put('wrong-secret', { privateKey, appSecret: APP_SECRET })
    const result = await probeEndpoint(target('wrong-secret', { appSecret: new Secret('not-the-app-secret') }), options())
    expect(result).toMatchObject({ outcome: 'signature_rejected', http_status: 432, signed: true, inconclusive: false })
    expect((await endpoints.calls('wrong-secret'))[0].signature).toBe('invalid')
  })
})

describe('failures', () => {
  it.each([
    ['500', 'http_error', 500],
    ['garbage', 'bad_response', 200],
    ['wrong-encryption', 'bad_response', 200],
    ['wrong-answer', 'bad_response', 200],
    ['421', 'key_mismatch', 421],
    ['432', 'signature_rejected', 432],
  ] as const)('mode %s: %s (%i)', async (mode, outcome, status) => {
    await endpoints.put(`mode-${mode}`, { privateKey, mode })
    const result = await probeEndpoint(target(`mode-${mode}`), options())
    expect(result).toMatchObject({ outcome, http_status: status })
    expect(result.detail).toEqual(expect.any(String))
  })

  it('an answer that decrypts but is not active says the key works', async () => {
    await endpoints.put('inactive', { privateKey, mode: 'wrong-answer' })
    const result = await probeEndpoint(target('inactive'), options())
    expect(result.detail).toContain('holds the right key')
    expect(result.detail).toContain('inactive')
  })

  it('a redirect is http_error and never followed', async () => {
    await endpoints.put('moving', { privateKey, mode: 'redirect' })
    await endpoints.put('moving/moved', { privateKey })
    const result = await probeEndpoint(target('moving'), options())
    expect(result).toMatchObject({ outcome: 'http_error', http_status: 302 })
    // Named by its status only: a Location's path or query can carry a token.
    expect(result.detail).toBe('The endpoint answered 302, a redirect, which flowkey does not follow (its target is not recorded).')
    expect(JSON.stringify(result)).not.toContain('moved')
    expect(result.advice).toContain('redirect')
    const calls = await endpoints.calls('moving')
    expect(calls.map((c) => c.path)).toEqual([`${endpoints.prefix}/moving`])
  })

  it('an endpoint that hangs: unreachable after the time-out', async () => {
    await endpoints.put('hangs', { privateKey, mode: 'hang' })
    const result = await probeEndpoint(target('hangs'), options(300))
    expect(result).toMatchObject({ outcome: 'unreachable', http_status: null })
    expect(result.detail).toBe('The endpoint did not answer within 300 ms.')
  })

  it('an endpoint slower than the time-out: unreachable; within it: ok', async () => {
    await endpoints.put('slow', { privateKey, latencyMs: 400 })
    expect((await probeEndpoint(target('slow'), options(200))).outcome).toBe('unreachable')
    expect((await probeEndpoint(target('slow'), options(2_000))).outcome).toBe('ok')
  })

  it('a refused connection or a reset socket: unreachable', async () => {
    const refused = await probeEndpoint(target('x', { url: `${closedPortUrl()}/data${TOKEN_QUERY}` }), options())
    expect(refused).toMatchObject({ outcome: 'unreachable', http_status: null, url: `${closedPortUrl()}/data` })
    await endpoints.put('resets', { privateKey, mode: 'reset' })
    expect((await probeEndpoint(target('resets'), options())).outcome).toBe('unreachable')
  })

  it('an answer larger than the cap: bad_response without reading it all', async () => {
    await endpoints.put('big', { privateKey, mode: 'garbage' })
    const result = await probeEndpoint(target('big'), { ...options(), maxAnswerBytes: 16 })
    expect(result).toMatchObject({ outcome: 'bad_response', http_status: 200 })
    expect(result.detail).toContain('more than 16 bytes')
  })

  it('an unknown path (404): http_error', async () => {
    const result = await probeEndpoint(target('nowhere'), options())
    expect(result, result.detail ?? '').toMatchObject({ outcome: 'http_error', http_status: 404 })
  })

  it('the query string appears in no result, whatever the outcome', async () => {
    const results = []
    for (const mode of ['normal', '421', '500', 'garbage', 'redirect', 'hang'] as const) {
      await endpoints.put(`q-${mode}`, { privateKey, mode })
      results.push(await probeEndpoint(target(`q-${mode}`), options(300)))
    }
    results.push(await probeEndpoint(target('x', { url: `${closedPortUrl()}/data${TOKEN_QUERY}` }), options()))
    const text = JSON.stringify(results)
    expect(text).not.toContain('s3cr3t-query-token')
    expect(text).not.toContain('token=')
  })
})
