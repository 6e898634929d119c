/** @module Every answer shape of the upstream document, read into key, no key, or a typed error. */
import { describe, expect, it } from 'vitest'
import { classifyAnswer } from '../../src/sources/kaleyra/classify'
import type { RawAnswer } from '../../src/sources/source'
import { SourceError } from '../../src/sources/source-error'

const answer = (status: number, body: unknown, extra: Partial<RawAnswer> = {}): RawAnswer => ({
  status,
  contentType: 'application/json',
  retryAfterMs: null,
  errorType: null,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  ...extra,
})

const failure = (raw: RawAnswer): SourceError => {
  try {
    classifyAnswer(raw)
  } catch (err) {
    expect(err).toBeInstanceOf(SourceError)
    return err as SourceError
  }
  throw new Error('classified as success')
}

const PEM = '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----'

describe('documented successes', () => {
  it('reads the sample success response', () => {
    const body = {
      code: 'WA-200',
      message: 'Request Processed Successfully',
      data: [{ business_public_key: PEM, business_public_key_signature_status: 'VALID' }],
      error: {},
    }
    expect(classifyAnswer(answer(200, body))).toEqual({ kind: 'key', pem: PEM, signatureStatus: 'VALID' })
  })
  it('tells "no key" from an empty data array or object, or an entry without business_public_key', () => {
    expect(classifyAnswer(answer(200, { code: 'WA-200', data: [], error: {} }))).toEqual({ kind: 'no_key', signatureStatus: null })
    expect(classifyAnswer(answer(200, { code: 'WA-200', data: {}, error: {} }))).toEqual({ kind: 'no_key', signatureStatus: null })
    expect(classifyAnswer(answer(200, { code: 'WA-200', data: [{ business_public_key_signature_status: 'VALID' }], error: {} }))).toEqual({
      kind: 'no_key',
      signatureStatus: 'VALID',
    })
    expect(classifyAnswer(answer(200, { code: 'WA-200', data: [{ business_public_key: '  ' }], error: {} }))).toEqual({ kind: 'no_key', signatureStatus: null })
  })
  it('keeps a non-VALID status as it came, and calls a missing one UNKNOWN', () => {
    expect(
      classifyAnswer(answer(200, { code: 'WA-200', data: [{ business_public_key: PEM, business_public_key_signature_status: 'MISMATCH' }] })),
    ).toMatchObject({ signatureStatus: 'MISMATCH' })
    expect(classifyAnswer(answer(200, { code: 'WA-200', data: [{ business_public_key: PEM }] }))).toMatchObject({ signatureStatus: 'UNKNOWN' })
  })
})

describe('documented failures', () => {
  it('RBC001: wrong SID or API key, permanent', () => {
    const err = failure(answer(401, { code: 'RBC001', message: 'Incorrect SID or API key.', data: [], error: { error: 'Incorrect SID or API key.' } }))
    expect([err.code, err.retryable, err.status]).toEqual(['kaleyra_auth_failed', false, 401])
    expect(err.message).toContain('Incorrect SID or API key.')
  })
  it('WA-401 with data as an object and error as a string: API not enabled, permanent', () => {
    const msg = 'API is not available for given customer.Please contact support for more info'
    const err = failure(answer(401, { code: 'WA-401', message: msg, data: {}, error: msg }))
    expect([err.code, err.retryable]).toEqual(['kaleyra_api_not_enabled', false])
    expect(err.message).toContain(msg)
  })
  it('WA-400: incorrect payload, permanent, with the detail of the error object', () => {
    const err = failure(answer(400, { code: 'WA-400', message: 'Refer to correct payload format', data: {}, error: { payload: 'Incorrect payload format' } }))
    expect([err.code, err.retryable]).toEqual(['kaleyra_bad_request', false])
    expect(err.message).toContain('Incorrect payload format')
  })
  it('WA-500: transient', () => {
    const err = failure(answer(500, { code: 'WA-500', message: 'Please try again later', data: {}, error: { error: 'Internal server error' } }))
    expect([err.code, err.retryable]).toEqual(['kaleyra_server_error', true])
  })
})

describe('answers outside the document', () => {
  it('an HTML error page from a proxy is a transient server error', () => {
    const err = failure(answer(502, '<html><body>Bad Gateway</body></html>', { contentType: 'text/html' }))
    expect([err.code, err.retryable]).toEqual(['kaleyra_server_error', true])
    expect(err.message).toMatch(/not JSON \(text\/html/)
  })
  it('429 is rate limiting and keeps Retry-After', () => {
    const err = failure(answer(429, 'slow down', { retryAfterMs: 2000 }))
    expect([err.code, err.retryable, err.retryAfterMs]).toEqual(['kaleyra_rate_limited', true, 2000])
  })
  it('truncated JSON, HTML with 200, JSON of another shape, and WA-200 with data that is neither a list nor empty are bad responses, never "no key"', () => {
    for (const raw of [
      answer(200, '{"code":"WA-200","data":[{"business_public'),
      answer(200, '<html></html>', { contentType: 'text/html' }),
      answer(200, { foo: 1 }),
      answer(200, { code: 'WA-200', data: { business_public_key: 'x' }, error: {} }),
      answer(200, { code: 'WA-200', data: 'none', error: {} }),
      answer(200, [1, 2]),
    ]) {
      expect(failure(raw).code).toBe('kaleyra_bad_response')
    }
  })
  it('an unknown 4xx is permanent; an unknown code with 5xx is transient', () => {
    expect(failure(answer(404, { code: 'X-404', message: 'nope' })).retryable).toBe(false)
    expect(failure(answer(503, { code: 'X-503' })).retryable).toBe(true)
  })
})
