/** @module Issue 8, finding 6 at the HTTP edge: 401 names its scheme, operator bodies have a cap, E.164 has no leading zero, history is public only in part. */
import { reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES } from '../../src/http/body-limit'
import { bearerToken } from '../../src/http/operator-auth'
import { normalizePhone } from '../../src/phone'
import { Account } from '../support/kaleyra'
import { makeKey } from '../support/keys'
import { ADMIN_TOKEN, forgetIsolateCache, operator, request, testEnv, tick } from '../support/worker'
import { MINUTE } from './helpers'

const account = new Account('HXSECHTTP01IN', 'Rt6Yu8Io0Pa2Sd4Fg6Hj8Kl0Zx2Cv4Bn')
const A = '+919890000001'

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
})

describe('401 answers carry WWW-Authenticate: Bearer (RFC 6750 §3)', () => {
  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer nope' }],
    ['another scheme', { authorization: `Basic ${btoa(`admin:${ADMIN_TOKEN}`)}` }],
    ['spaces then a line break', { authorization: `Bearer${' '.repeat(6000)}\t` }],
  ])('%s', async (_, headers: Record<string, string>) => {
    const res = await request(testEnv(account), '/v1/status', { headers })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/)
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('unauthorized')
  })

  it('also when ADMIN_TOKEN is unset', async () => {
    const res = await request(testEnv(account, { ADMIN_TOKEN: undefined }), '/v1/status', operator())
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/)
  })

  it('reads the token without a regular expression, in any case of the scheme', () => {
    expect(bearerToken('Bearer abc')).toBe('abc')
    expect(bearerToken('bearer  abc  ')).toBe('abc')
    expect(bearerToken('Bearerabc')).toBeNull()
    expect(bearerToken(`Bearer${' '.repeat(100_000)}\n`)).toBeNull()
  })
})

describe('operator bodies have a size cap', () => {
  it(`a body over ${MAX_BODY_BYTES / 1024 / 1024} MiB is 413 payload_too_large, before it is read`, async () => {
    const body = JSON.stringify({ sid: account.sid, pad: 'x'.repeat(MAX_BODY_BYTES) })
    const res = await request(testEnv(account), `/v1/numbers/${A}`, operator({ method: 'PUT', body, headers: { 'content-type': 'application/json' } }))
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large', message: expect.stringMatching(/2 MiB/) } })
  })

  it('a body streamed without a length is capped too', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(256 * 1024))
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_BODY_BYTES) return controller.close()
        sent += chunk.length
        controller.enqueue(chunk)
      },
    })
    const res = await request(testEnv(account), `/v1/numbers/${A}`, operator({ method: 'PUT', body: stream, headers: { 'content-type': 'application/json' } }))
    expect(res.status).toBe(413)
  })

  it('a body the size of a 10,000-entry import (about 1 MB) still fits', async () => {
    const body = JSON.stringify({ sid: account.sid, pad: 'x'.repeat(10_000 * 100) })
    const res = await request(testEnv(account), `/v1/numbers/${A}`, operator({ method: 'PUT', body, headers: { 'content-type': 'application/json' } }))
    expect(res.status).toBe(201)
  })
})

describe('E.164 has no leading zero', () => {
  it.each([['00919876543210'], ['+00919876543210'], ['+0919876543210'], ['0919876543210']])('%s is invalid_phone', async (phone) => {
    expect(() => normalizePhone(phone)).toThrowError(expect.objectContaining({ code: 'invalid_phone' }))
    const res = await request(testEnv(account), `/v1/numbers/${encodeURIComponent(phone)}/key`)
    expect(res.status).toBe(400)
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('invalid_phone')
  })

  it('a WATCH_NUMBERS entry with a leading zero is a configuration problem', async () => {
    const res = await request(testEnv(account, { WATCH_NUMBERS: '00919876543210' }), '/healthz')
    expect(res.status).toBe(503)
    expect((await res.json<{ problems: { name: string }[] }>()).problems.map((p) => p.name)).toContain('WATCH_NUMBERS')
  })
})

describe('public history: what the public needs, and the rest for operators', () => {
  it('without the token each event has sid null and an error of its code only; with it the events are whole', async () => {
    await account.addNumber(A, { pem: (await makeKey()).pem })
    const env = testEnv(account, { WATCH_NUMBERS: A, FAILING_AFTER: '1' })
    const t0 = Date.now()
    await tick(env, t0)
    await account.fail('401', 3, A)
    await tick(env, t0 + 10 * MINUTE)

    const open = await request(env, `/v1/numbers/${A}/history`)
    expect(open.headers.get('cache-control')).toMatch(/public/)
    const { events } = await open.json<{ events: { type: string; data: { sid: string | null; error: unknown; kid: string | null } }[] }>()
    expect(events.map((e) => e.type)).toEqual(['check.failing', 'key.first_seen'])
    expect(events.every((e) => e.data.sid === null)).toBe(true)
    expect(events[0].data.error).toEqual({ code: 'kaleyra_auth_failed' })
    expect(events[1].data.kid).toMatch(/^[A-Za-z0-9_-]{43}$/)

    const whole = await request(env, `/v1/numbers/${A}/history`, operator())
    expect(whole.headers.get('cache-control')).toMatch(/no-store/)
    const full = await whole.json<{ events: { data: { sid: string | null; error: { code: string; message: string } | null } }[] }>()
    expect(full.events[0].data.sid).toBe(account.sid)
    expect(full.events[0].data.error).toMatchObject({ code: 'kaleyra_auth_failed', message: expect.stringMatching(/RBC001/) })
    // A wrong token is not an error here (the route is public): it gets the public view.
    const wrong = await request(env, `/v1/numbers/${A}/history`, { headers: { authorization: 'Bearer wrong' } })
    expect((await wrong.json<{ events: { data: { sid: string | null } }[] }>()).events[0].data.sid).toBeNull()
  })
})
