/** @module The reader, with Kaleyra's adapter, against the pod emulator: bodiless requests, time-outs, capped bodies, retries of transient failures only. */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { flowsEncryptionUrl, kaleyraSource, type KaleyraTarget } from '../../src/sources/kaleyra/adapter'
import { MAX_BODY_BYTES, readKey, type ReadOptions } from '../../src/sources/read-key'
import { SourceError } from '../../src/sources/source-error'
import { Secret } from '../../src/secret'
import { Account, kaleyraUrl } from '../support/kaleyra'
import { makeKey } from '../support/keys'

const account = new Account('HXCLIENTTEST01IN', 'client-test-api-key-0123456789')
const PHONE = '+919820000001'
const fetchBusinessKey = (t: KaleyraTarget, options: ReadOptions) => readKey(kaleyraSource, t, options)
const noWait = (): Promise<void> => Promise.resolve()

const target = (overrides: Partial<KaleyraTarget> = {}): KaleyraTarget => ({
  base: kaleyraUrl(),
  sid: account.sid,
  phone: PHONE,
  apiKey: new Secret(account.apiKey),
  ...overrides,
})

async function failureOf(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(SourceError)
    return err as SourceError
  }
  throw new Error('succeeded')
}

let pem: string
beforeAll(async () => {
  await account.create()
  pem = (await makeKey()).pem
  await account.addNumber(PHONE, { pem })
})
beforeEach(async () => {
  await account.clearFaults()
  await account.clearRequests()
})

describe('the request', () => {
  it('is a POST with api-key and the form content type, the number with its +, and never a body', async () => {
    expect(flowsEncryptionUrl(target())).toBe(`${kaleyraUrl()}/v2/${account.sid}/whatsapp/+919820000001/flows_encryption`)
    const answer = await fetchBusinessKey(target(), { fetch, timeoutMs: 2000 })
    expect(answer).toMatchObject({ kind: 'key', signatureStatus: 'VALID' })
    const { requests } = await account.requests(PHONE)
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({ method: 'POST', apiKeyPresent: true, bodyBytes: 0, bodyText: '' })
    expect(requests[0].contentType).toMatch(/^application\/x-www-form-urlencoded/)
    // The Set API is this request plus a business_public_key field: the key must be untouched.
    expect(await account.number(PHONE)).toMatchObject({ sets: 0 })
  })
})

describe('retries', () => {
  it('retries transient failures and succeeds', async () => {
    await account.fail('500', 1, PHONE)
    await account.fail('502-html', 1, PHONE)
    const answer = await fetchBusinessKey(target(), { fetch, timeoutMs: 2000, sleep: noWait })
    expect(answer.kind).toBe('key')
    expect((await account.requests(PHONE)).requests).toHaveLength(3)
  })

  it('gives up after three attempts with the last error', async () => {
    await account.fail('503', 5, PHONE)
    const err = await failureOf(fetchBusinessKey(target(), { fetch, timeoutMs: 2000, sleep: noWait }))
    expect(err.code).toBe('kaleyra_server_error')
    expect((await account.requests(PHONE)).requests).toHaveLength(3)
  })

  it.each([
    ['401', 'kaleyra_auth_failed'],
    ['wa-401', 'kaleyra_api_not_enabled'],
    ['400', 'kaleyra_bad_request'],
  ])('does not retry the permanent %s', async (kind, code) => {
    await account.fail(kind, 3, PHONE)
    const err = await failureOf(fetchBusinessKey(target(), { fetch, timeoutMs: 2000, sleep: noWait }))
    expect(err.code).toBe(code)
    expect((await account.requests(PHONE)).requests).toHaveLength(1)
  })

  it('waits at least Retry-After after a 429', async () => {
    await account.fail('429', 1, PHONE)
    const waits: number[] = []
    await fetchBusinessKey(target(), {
      fetch,
      timeoutMs: 2000,
      sleep: async (ms) => {
        waits.push(ms)
      },
      random: () => 0,
    })
    expect(waits).toEqual([1000])
  })
})

describe('answers that are not the documented JSON', () => {
  it.each([
    ['html', 'kaleyra_bad_response'],
    ['truncated', 'kaleyra_bad_response'],
    ['not-json-shape', 'kaleyra_bad_response'],
    ['502-html', 'kaleyra_server_error'],
  ])('%s is a typed error', async (kind, code) => {
    await account.fail(kind, 1, PHONE)
    const err = await failureOf(fetchBusinessKey(target(), { fetch, timeoutMs: 2000, attempts: 1 }))
    expect(err.code).toBe(code)
  })

  it('reads WA-200 with "data": {} as no key', async () => {
    await account.fail('data-object', 1, PHONE)
    expect(await fetchBusinessKey(target(), { fetch, timeoutMs: 2000, attempts: 1 })).toEqual({ kind: 'no_key', signatureStatus: null })
  })

  it(`reads at most ${MAX_BODY_BYTES / 1024} KiB of a 10 MB body`, async () => {
    await account.fail('huge', 1, PHONE)
    const err = await failureOf(fetchBusinessKey(target(), { fetch, timeoutMs: 5000, attempts: 1 }))
    expect(err.code).toBe('kaleyra_bad_response')
    expect(err.message).toMatch(/larger than 256 KiB/)
  })

  it('times out an attempt that never answers', async () => {
    await account.fail('timeout', 1, PHONE)
    const started = Date.now()
    const err = await failureOf(fetchBusinessKey(target(), { fetch, timeoutMs: 300, attempts: 1 }))
    expect(err.code).toBe('kaleyra_timeout')
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('reports a refused connection as unreachable, without the API key', async () => {
    const err = await failureOf(fetchBusinessKey(target({ base: 'http://127.0.0.1:9' }), { fetch, timeoutMs: 1000, attempts: 1 }))
    expect(err.code).toBe('kaleyra_unreachable')
    expect(err.message).not.toContain(account.apiKey)
  })
})
