/** @module Issue 8, findings 2 and 3 and the key-size message: every upstream field has a size and a shape, checked before any costly parsing. */
import { reset } from 'cloudflare:test'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FlowkeyError } from '../../src/errors'
import { classifyAnswer } from '../../src/sources/kaleyra/classify'
import { MAX_PEM_CHARS, normalizePem, pemToBusinessKey } from '../../src/keys/pem'
import { Account } from '../support/kaleyra'
import { lastRun, numberStatus } from '../support/ledger'
import { makeKey } from '../support/keys'
import { SecretSweep } from '../support/secret-sweep'
import { rsaSpkiPem } from '../support/spki'
import { forgetIsolateCache, operator, request, testEnv, tick } from '../support/worker'
import { MINUTE, servedKeys, visitAll } from './helpers'

const API_KEY = 'Zq3Wx5Ec7Rv9Tb1Yn2Um4Ik6Ol8Pa0Sd'
const account = new Account('HXSECSHAPE01IN', API_KEY)
const HEALTHY = '+919860000000'

let sweep: SecretSweep
let stopLogs: () => void
beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
  sweep = new SecretSweep([API_KEY])
  stopLogs = sweep.captureLogs()
})
afterEach(() => stopLogs())

const answer = (entry: Record<string, unknown>) => ({
  status: 200,
  contentType: 'application/json',
  retryAfterMs: null,
  errorType: null,
  body: JSON.stringify({ code: 'WA-200', message: 'Request Processed Successfully', data: [entry], error: {} }),
})

describe('the signature status is a short upper-case word', () => {
  it.each([['VALID'], ['INVALID'], ['MISMATCH'], ['  VALID  '], ['NOT_VERIFIED_2']])('%j is read', (status: string) => {
    expect(classifyAnswer(answer({ business_public_key: 'pem', business_public_key_signature_status: status }))).toMatchObject({
      signatureStatus: status.trim(),
    })
  })
  it.each([
    ['lower case', 'valid'],
    ['punctuation', 'VALID!'],
    ['33 characters', 'A'.repeat(33)],
    ['two words', 'VALID VALID'],
    ['250 KB', 'X'.repeat(250 * 1024)],
    ['a number', 42],
    ['an object', { s: 'VALID' }],
  ])('%s is kaleyra_bad_response', (_, status: unknown) => {
    expect(() => classifyAnswer(answer({ business_public_key: 'pem', business_public_key_signature_status: status }))).toThrowError(
      expect.objectContaining({ code: 'kaleyra_bad_response' }),
    )
  })
})

describe('finding 2: a 250 KB signature status for many numbers', () => {
  it('is refused per number; the run completes, a healthy number is still checked, pages stay small', async () => {
    const phones = Array.from({ length: 30 }, (_, i) => `+91986${String(i + 1).padStart(7, '0')}`)
    const pem = (await makeKey()).pem
    for (const phone of [HEALTHY, ...phones]) await account.addNumber(phone, { pem })
    const env = testEnv(account, { WATCH_NUMBERS: [HEALTHY, ...phones].join(',') })
    const t0 = Date.now()
    await tick(env, t0)
    // The fleet JWKS holds the healthy number, whose key rotates on purpose: each faulty number's own documents are compared.
    const before = await servedKeys(env, phones, false)
    const huge = `VALID${'X'.repeat(250 * 1024)}`
    for (const phone of phones) await account.setStatus(phone, huge)
    await account.rotate(HEALTHY, (await makeKey()).pem)
    await tick(env, t0 + 10 * MINUTE)

    expect((await lastRun())?.checked).toBe(31)
    for (const phone of phones) {
      const status = await numberStatus(phone)
      expect(status.error?.code, phone).toBe('kaleyra_bad_response')
      expect(status.signature_status, phone).toBe('VALID')
      expect(JSON.stringify(status).length, phone).toBeLessThan(2_000)
    }
    // The healthy number's rotation was recorded in the same run.
    expect(await numberStatus(HEALTHY)).toMatchObject({ outcome: 'key', consecutive_failures: 0 })
    const page = await (await request(env, '/')).text()
    expect(page.length).toBeLessThan(50_000)
    const check = await request(env, '/v1/check', operator({ method: 'POST' }))
    expect(check.status).toBe(200)
    expect(await servedKeys(env, phones, false)).toEqual(before)
    await visitAll(env, sweep, [HEALTHY, phones[0]])
    sweep.expectClean()
  })
})

describe('finding 3: a PEM built to be slow', () => {
  it('`-----BEGIN A-` repeated past the size cap is refused by its size, before any parsing', async () => {
    const slow = '-----BEGIN A-'.repeat(20_000)
    expect(() => normalizePem(slow)).toThrowError(
      new FlowkeyError('invalid_key', `business_public_key is ${slow.length} characters; a public key PEM is at most ${MAX_PEM_CHARS}, so it was not read`),
    )
  })

  it('the same text just under the cap is read in one pass and refused as no PEM block', () => {
    const slow = '-----BEGIN A-'.repeat(Math.floor(MAX_PEM_CHARS / 13))
    expect(slow.length).toBeLessThanOrEqual(MAX_PEM_CHARS)
    expect(() => normalizePem(slow)).toThrowError(/not a PEM block/)
    // Labels that never close, and an END that never comes, are the other slow shapes of the old pattern.
    expect(() => normalizePem(`-----BEGIN ${'A '.repeat(4000)}`)).toThrowError(/not a PEM block/)
    expect(() => normalizePem(`-----BEGIN PUBLIC KEY-----${'-----END PUBLIC KEY---- '.repeat(300)}`)).toThrowError(/not a PEM block/)
    expect(() => normalizePem('-----BEGIN PUBLIC KEY----------END PUBLIC KEY-----')).toThrowError(/empty/)
  })

  it('from a pod: recorded as invalid_key for that number, the served key unchanged', async () => {
    const key = await makeKey()
    await account.addNumber(HEALTHY, { pem: key.pem })
    const env = testEnv(account, { WATCH_NUMBERS: HEALTHY })
    const t0 = Date.now()
    await tick(env, t0)
    const before = await servedKeys(env, [HEALTHY])
    await account.rotate(HEALTHY, '-----BEGIN A-'.repeat(20_000))
    await tick(env, t0 + 10 * MINUTE)
    expect((await numberStatus(HEALTHY)).error).toMatchObject({ code: 'invalid_key', message: expect.stringMatching(/at most 8192/) })
    expect(await servedKeys(env, [HEALTHY])).toEqual(before)
    await visitAll(env, sweep, [HEALTHY])
    sweep.expectClean()
  })
})

describe('keys the runtime cannot import', () => {
  it('a 16392-bit RSA key is refused with its size and the runtime limit, not "not an RSA key"', async () => {
    await expect(pemToBusinessKey(rsaSpkiPem(16_392))).rejects.toThrowError(
      /16392-bit RSA key, which the Workers runtime cannot import \(it takes RSA keys of up to 16384 bits\)/,
    )
  })

  it('a 4096-bit key is still accepted, and a non-RSA key still says so', async () => {
    expect((await pemToBusinessKey(rsaSpkiPem(4096))).bits).toBe(4096)
    const ec = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair
    const spki = new Uint8Array((await crypto.subtle.exportKey('spki', ec.publicKey)) as ArrayBuffer)
    const pem = `-----BEGIN PUBLIC KEY-----\n${btoa(String.fromCharCode(...spki))}\n-----END PUBLIC KEY-----`
    await expect(pemToBusinessKey(pem)).rejects.toThrowError('business_public_key is not an RSA public key')
  })
})
