/** @module The Kaleyra pod emulator answers as the upstream document says, so product tests built on it test against the contract. */
import { beforeAll, describe, expect, inject, it } from 'vitest'

const base = inject('kaleyraUrl')
// Unique to this file: the emulator is shared by every test file running in parallel.
const SID = 'HXEMUPODTEST01IN'
const API_KEY = 'emu-pod-test-key'
const PHONE = '+919800000001'
const FORM = 'application/x-www-form-urlencoded'

const RBC001 = { code: 'RBC001', message: 'Incorrect SID or API key.', data: [], error: { error: 'Incorrect SID or API key.' } }

async function control(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}/_emulator${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })
  expect(res.status, `${method} ${path}`).toBe(200)
  return res.json()
}

function upstream(
  phone: string,
  init: { sid?: string; headers?: Record<string, string>; method?: string; body?: string; signal?: AbortSignal } = {},
): Promise<Response> {
  return fetch(`${base}/v2/${init.sid ?? SID}/whatsapp/${phone}/flows_encryption`, {
    method: init.method ?? 'POST',
    headers: init.headers ?? { 'api-key': API_KEY, 'content-type': FORM },
    body: init.body,
    signal: init.signal,
  })
}

async function keyOf(res: Response): Promise<string> {
  const body: { data: { business_public_key: string }[] } = await res.json()
  return body.data[0]?.business_public_key ?? ''
}

const stripped = (pem: string): string => pem.replace(/-----[A-Z ]+-----|\s/g, '')

beforeAll(async () => {
  await control('POST', '/reset', { sid: SID })
  await control('PUT', `/accounts/${SID}`, { apiKey: API_KEY, enabled: true })
  await control('PUT', `/numbers/${PHONE}`, { sid: SID })
})

describe('success', () => {
  it('answers WA-200 with the key in each PEM style, the same key under every layout', async () => {
    const { pem } = await control('GET', `/numbers/${PHONE}?sid=${SID}`)
    const layouts: Record<string, RegExp> = {
      lines: /^-----BEGIN PUBLIC KEY-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END PUBLIC KEY-----\n$/,
      'one-line': /^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=]{300,}\n-----END PUBLIC KEY-----$/,
      crlf: /^-----BEGIN PUBLIC KEY-----\r\n([A-Za-z0-9+/=]{1,64}\r\n)+-----END PUBLIC KEY-----\r\n$/,
      padded: /^\s+-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\s+$/,
    }
    for (const [pemStyle, layout] of Object.entries(layouts)) {
      await control('PUT', '/numbers/+919800000002', { sid: SID, pem, pemStyle })
      const res = await upstream('+919800000002')
      expect(res.status).toBe(200)
      const key = await keyOf(res)
      expect(key, pemStyle).toMatch(layout)
      expect(stripped(key)).toBe(stripped(String(pem)))
    }
  })

  it('treats +91… and %2B91… as one number but not a bare 91…', async () => {
    const plus = await keyOf(await upstream(PHONE))
    expect(await keyOf(await upstream(encodeURIComponent(PHONE)))).toBe(plus)
    const bare = await upstream(PHONE.slice(1))
    expect(bare.status).toBe(400)
    expect(await bare.json()).toEqual({ code: 'WA-400', message: 'Refer to correct payload format', data: {}, error: { phone: 'Business number not found' } })
  })

  it('accepts a charset suffix on the form content type', async () => {
    expect((await upstream(PHONE, { headers: { 'api-key': API_KEY, 'content-type': `${FORM}; charset=UTF-8` } })).status).toBe(200)
  })

  it('holds no key as data [] or as a status-only entry, and reports the signature status', async () => {
    await control('PUT', '/numbers/+919800000003', { sid: SID, pem: null })
    expect(await (await upstream('+919800000003')).json()).toEqual({ code: 'WA-200', message: 'Request Processed Successfully', data: [], error: {} })
    await control('PUT', '/numbers/+919800000003', { sid: SID, pem: null, noKeyShape: 'status-only', status: 'INVALID' })
    expect(await (await upstream('+919800000003')).json()).toEqual({
      code: 'WA-200',
      message: 'Request Processed Successfully',
      data: [{ business_public_key_signature_status: 'INVALID' }],
      error: {},
    })
  })
})

describe('documented failures', () => {
  it('answers RBC001 for an unknown SID, a missing api-key and a wrong one', async () => {
    for (const res of [
      await upstream(PHONE, { sid: 'HXNOSUCHSID00000' }),
      await upstream(PHONE, { headers: { 'content-type': FORM } }),
      await upstream(PHONE, { headers: { 'api-key': 'wrong', 'content-type': FORM } }),
    ]) {
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual(RBC001)
    }
  })

  it('answers WA-401 with an object data and a string error when the API is disabled', async () => {
    const off = `${SID}OFF`
    await control('PUT', `/accounts/${off}`, { apiKey: API_KEY, enabled: false })
    const res = await upstream(PHONE, { sid: off })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({
      code: 'WA-401',
      message: 'API is not available for given customer.Please contact support for more info',
      data: {},
      error: 'API is not available for given customer.Please contact support for more info',
    })
    await control('POST', '/reset', { sid: off })
  })

  it('answers WA-400 for any content type but the form one, and 405 for other methods', async () => {
    const res = await upstream(PHONE, { headers: { 'api-key': API_KEY, 'content-type': 'application/json' } })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ code: 'WA-400', message: 'Refer to correct payload format', data: {}, error: { payload: 'Incorrect payload format' } })
    const get = await upstream(PHONE, { method: 'GET' })
    expect(get.status).toBe(405)
    expect(get.headers.get('allow')).toBe('POST')
  })
})

describe('faults', () => {
  const FAULTY = '+919800000005'
  beforeAll(async () => {
    await control('PUT', `/numbers/${FAULTY}`, { sid: SID })
  })
  const inject1 = (kind: string): Promise<unknown> => control('POST', '/faults', { sid: SID, phone: FAULTY, kind, count: 1 })

  it('answers each HTTP fault once, then the number answers normally again', async () => {
    const cases: [string, number, string, (text: string) => void][] = [
      ['500', 500, 'application/json', (t) => expect(JSON.parse(t)).toMatchObject({ code: 'WA-500' })],
      ['429', 429, 'application/json', (t) => expect(JSON.parse(t)).toMatchObject({ code: 'WA-429' })],
      ['502-html', 502, 'text/html', (t) => expect(t).toContain('502 Bad Gateway')],
      ['503', 503, 'text/plain', (t) => expect(t).not.toBe('')],
      ['wa-401', 401, 'application/json', (t) => expect(JSON.parse(t)).toMatchObject({ code: 'WA-401' })],
      ['html', 200, 'text/html', (t) => expect(t).toContain('<html>')],
      ['truncated', 200, 'application/json', (t) => expect(() => JSON.parse(t)).toThrow()],
      ['not-json-shape', 200, 'application/json', (t) => expect(JSON.parse(t)).toEqual({ foo: 1 })],
      ['data-object', 200, 'application/json', (t) => expect(JSON.parse(t)).toMatchObject({ code: 'WA-200', data: {} })],
    ]
    for (const [kind, status, type, check] of cases) {
      await inject1(kind)
      const res = await upstream(FAULTY)
      expect(res.status, kind).toBe(status)
      expect(res.headers.get('content-type'), kind).toContain(type)
      if (kind === '429') expect(res.headers.get('retry-after')).toBe('1')
      check(await res.text())
      expect((await upstream(FAULTY)).status, `after ${kind}`).toBe(200)
    }
  })

  it('resets the socket, never answers a timeout, and streams a 10 MB body', async () => {
    await inject1('reset')
    await expect(upstream(FAULTY)).rejects.toThrow()
    await inject1('timeout')
    await expect(upstream(FAULTY, { signal: AbortSignal.timeout(200) })).rejects.toThrow()
    await inject1('huge')
    expect((await (await upstream(FAULTY)).text()).length).toBeGreaterThan(10 * 1024 * 1024)
  })

  it('scopes a fault to its number', async () => {
    await inject1('500')
    expect((await upstream(PHONE)).status).toBe(200)
    expect((await upstream(FAULTY)).status).toBe(500)
  })
})

describe('request log', () => {
  it('records each upstream call without the api-key value, and the peak concurrency', async () => {
    await control('DELETE', `/requests?sid=${SID}`)
    await control('PUT', '/latency', { sid: SID, ms: 150 })
    await Promise.all(Array.from({ length: 4 }, () => upstream(PHONE)))
    await control('PUT', '/latency', { sid: SID, ms: 0 })
    const log = await control('GET', `/requests?sid=${SID}&phone=${encodeURIComponent(PHONE)}`)
    expect(log).toMatchObject({ inFlight: 0, maxInFlight: 4 })
    expect(log['requests']).toHaveLength(4)
    expect((log['requests'] as unknown[])[0]).toMatchObject({
      method: 'POST',
      path: `/v2/${SID}/whatsapp/${PHONE}/flows_encryption`,
      sid: SID,
      phone: PHONE,
      contentType: FORM,
      apiKeyPresent: true,
      bodyBytes: 0,
      bodyText: '',
    })
    expect(JSON.stringify(log)).not.toContain(API_KEY)
  })
})

describe('fleet and reset', () => {
  it('registers a fleet with pooled keys and resets only the given SID', async () => {
    const other = `${SID}B`
    await control('PUT', `/accounts/${other}`, { apiKey: API_KEY })
    const fleet = await control('PUT', '/fleet', { sid: other, prefix: '+9190000', count: 20 })
    expect(fleet['phones']).toContain('+919000019')
    expect((await upstream('+919000019', { sid: other })).status).toBe(200)
    await control('POST', '/reset', { sid: other })
    expect((await upstream('+919000019', { sid: other })).status).toBe(401)
    expect((await upstream(PHONE)).status).toBe(200)
  })
})

describe('phone numbers', () => {
  it("reads a control path's number by flowkey's own phone rule, and refuses a fleet that breaks it in the rule's words", async () => {
    expect(await control('GET', `/numbers/${PHONE.slice(1)}?sid=${SID}`)).toMatchObject({ phone: PHONE })
    const res = await fetch(`${base}/_emulator/fleet`, { method: 'PUT', body: JSON.stringify({ sid: SID, prefix: '+0919', count: 20 }) })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: 'fleet number "+091900": expected 8 to 15 digits after an optional +, the first not 0' })
  })
})

// Mirrors test/support/node/global-setup.ts, which the workerd tsconfig cannot include (it is Node code).
declare module 'vitest' {
  export interface ProvidedContext {
    kaleyraUrl: string
    receiverUrl: string
  }
}
