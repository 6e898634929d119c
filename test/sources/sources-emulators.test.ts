/** @module Meta, 360dialog and AWS read through the one reader against their emulators: shapes, statuses, every failure's code, and only reads. */
import { beforeEach, describe, expect, it } from 'vitest'
import { planRead } from '../../src/sources/plan-read'
import { parseSourceSettings } from '../../src/sources/settings'
import type { KeyAnswer, SourceFields } from '../../src/sources/source'
import { SourceError } from '../../src/sources/source-error'
import { SourceEmulator } from '../support/sources'

const meta = new SourceEmulator('meta', '9100')
const d360 = new SourceEmulator('360dialog', 'rd-')
const aws = new SourceEmulator('aws', 'phone-number-id-aa')
const TOKEN = 'meta-token-for-shop-0123456789abcdef'
const D360_KEY = 'd360-channel-key-0123456789abcdef'
const AKID = 'AKIAEMULATORTEST0001'
const AWS_SECRET = 'aws-secret-access-key-5h2j8k4l1z7x3c9v6b0n'
const AWS_ID = `phone-number-id-aa${'0'.repeat(30)}`

const env = () => ({
  META_GRAPH_URL: meta.url,
  META_GRAPH_VERSION: 'v25.0',
  D360_API_URL: d360.url,
  AWS_ENDPOINT_URL_SOCIALMESSAGING: aws.url,
  META_ACCESS_TOKEN_SHOP: TOKEN,
  D360_API_KEY_RD_SHOP: D360_KEY,
  AWS_ACCESS_KEY_ID: AKID,
  AWS_SECRET_ACCESS_KEY: AWS_SECRET,
})
const FIELDS: Record<'meta' | '360dialog' | 'aws', SourceFields> = {
  meta: { source: 'meta', account: 'shop', phone_number_id: '9100001', region: null },
  '360dialog': { source: '360dialog', account: 'rd_shop', phone_number_id: null, region: null },
  aws: { source: 'aws', account: null, phone_number_id: AWS_ID, region: 'eu-west-1' },
}
const EMULATOR = { meta, '360dialog': d360, aws }
const ID = { meta: '9100001', '360dialog': 'rd-shop', aws: AWS_ID }
const noWait = (): Promise<void> => Promise.resolve()

function read(source: keyof typeof FIELDS, vars: Record<string, string> = {}): Promise<KeyAnswer> {
  const plan = planRead(parseSourceSettings({ ...env(), ...vars }).settings, '+919100000001', FIELDS[source])
  if ('missing' in plan) throw new Error(plan.message)
  return plan.read({ fetch, timeoutMs: 1500, sleep: noWait })
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(SourceError)
    return err as SourceError
  }
  throw new Error('read a key')
}

beforeEach(async () => {
  await Promise.all([meta.reset(), d360.reset(), aws.reset()])
  await aws.credentials(AKID, AWS_SECRET)
  await meta.addNumber(ID.meta, { credential: TOKEN })
  await d360.addNumber(ID['360dialog'], { credential: D360_KEY })
  await aws.addNumber(ID.aws, { credential: AKID, region: 'eu-west-1' })
})

describe.each(['meta', '360dialog', 'aws'] as const)('%s', (source) => {
  const emulator = EMULATOR[source]
  const id = ID[source]

  it('reads the key and its status with one bodiless GET', async () => {
    expect(await read(source)).toMatchObject({ kind: 'key', signatureStatus: 'VALID', pem: expect.stringContaining('BEGIN PUBLIC KEY') })
    await emulator.setStatus(id, 'MISMATCH')
    expect(await read(source)).toMatchObject({ kind: 'key', signatureStatus: 'MISMATCH' })
    const seen = await emulator.expectOnlyReads()
    expect(seen).toHaveLength(2)
  })

  it('reads a blank or missing key as no key, keeping its status', async () => {
    await emulator.removeKey(id)
    await emulator.setStatus(id, 'MISMATCH')
    expect(await read(source)).toEqual({ kind: 'no_key', signatureStatus: 'MISMATCH' })
  })

  it.each([
    ['auth', 'auth_failed', 1],
    ['permission', 'permission_denied', 1],
    ['not-found', 'not_found', 1],
    ['bad-request', 'bad_request', 1],
    ['rate-limit', 'rate_limited', 3],
    ['server', 'server_error', 3],
    ['transient', 'server_error', 3],
    ['html', 'server_error', 3],
    ['redirect', 'bad_response', 1],
    ['huge', 'bad_response', 3],
  ])('answers %s with its code, retried only when it may pass', async (kind, reason, attempts) => {
    await emulator.fail(kind, 5, id)
    const err = await failure(read(source))
    expect(err.code).toBe(`${source === '360dialog' ? 'd360' : source}_${reason}`)
    expect(await emulator.expectOnlyReads()).toHaveLength(attempts)
  })

  it('times out an attempt that never answers', async () => {
    await emulator.fail('timeout', 1, id)
    const plan = planRead(parseSourceSettings(env()).settings, '+919100000001', FIELDS[source])
    if ('missing' in plan) throw new Error(plan.message)
    const err = await failure(plan.read({ fetch, timeoutMs: 300, attempts: 1 }))
    expect(err.code).toMatch(/_timeout$/)
  })
})

describe('meta', () => {
  it('reads the flat shape too, with the version in the path and the bearer token of the account', async () => {
    await meta.addNumber('9100002', { credential: TOKEN, shape: 'flat' })
    const plan = planRead(parseSourceSettings({ ...env(), META_GRAPH_VERSION: 'v23.0' }).settings, '+919100000002', {
      ...FIELDS.meta,
      phone_number_id: '9100002',
    })
    if ('missing' in plan) throw new Error(plan.message)
    expect(await plan.read({ fetch, timeoutMs: 1500 })).toMatchObject({ kind: 'key', signatureStatus: 'VALID' })
    const [seen] = (await meta.requests()).filter((r) => r.id === '9100002')
    expect(seen?.path).toBe('/v23.0/9100002/whatsapp_business_encryption?fields=business_public_key,business_public_key_signature_status')
  })

  it('reads Graph throttling codes as rate limits even on a 400, and a token for another number as permission denied', async () => {
    await meta.fail('throttle-code', 5, ID.meta)
    expect((await failure(read('meta'))).code).toBe('meta_rate_limited')
    await meta.addNumber('9100003', { credential: 'someone-elses-token-0123456789' })
    const plan = planRead(parseSourceSettings(env()).settings, '+919100000003', { ...FIELDS.meta, phone_number_id: '9100003' })
    if ('missing' in plan) throw new Error(plan.message)
    expect((await failure(plan.read({ fetch, timeoutMs: 1500 }))).code).toBe('meta_permission_denied')
  })

  it('falls back to META_ACCESS_TOKEN when the account has none of its own, and names the first secret when neither is set', async () => {
    const settings = parseSourceSettings({ ...env(), META_ACCESS_TOKEN_SHOP: undefined, META_ACCESS_TOKEN: TOKEN }).settings
    expect('missing' in planRead(settings, '+919100000001', FIELDS.meta)).toBe(false)
    const none = planRead(parseSourceSettings({ ...env(), META_ACCESS_TOKEN_SHOP: undefined }).settings, '+919100000001', FIELDS.meta)
    expect(none).toMatchObject({ missing: 'META_ACCESS_TOKEN_SHOP', fallback: 'META_ACCESS_TOKEN' })
  })
})

describe('360dialog', () => {
  it("takes the number's digits as its account when none is given", () => {
    const settings = parseSourceSettings({ ...env(), D360_API_KEY_919100000009: D360_KEY }).settings
    expect('missing' in planRead(settings, '+919100000009', { ...FIELDS['360dialog'], account: null })).toBe(false)
    expect(planRead(parseSourceSettings(env()).settings, '+919100000008', { ...FIELDS['360dialog'], account: null })).toMatchObject({
      missing: 'D360_API_KEY_919100000008',
    })
  })
})

describe('aws', () => {
  it('is refused by the emulator when the signature is wrong, and the secret is never in the error', async () => {
    const err = await failure(read('aws', { AWS_SECRET_ACCESS_KEY: 'not-the-secret-0123456789abcdefghij' }))
    expect(err.code).toBe('aws_auth_failed')
    expect(err.message).toMatch(/InvalidSignatureException/)
    expect(err.message).not.toContain(AWS_SECRET)
  })

  it('signs the session token of temporary keys, and reads the number by its ARN in its region only', async () => {
    await aws.credentials('ASIATEMPORARYKEY0001', AWS_SECRET, 'session-token-0123456789')
    await aws.addNumber(`phone-number-id-aa${'1'.repeat(30)}`, { region: 'eu-west-1' })
    const vars = { AWS_ACCESS_KEY_ID_TMP: 'ASIATEMPORARYKEY0001', AWS_SECRET_ACCESS_KEY_TMP: AWS_SECRET, AWS_SESSION_TOKEN_TMP: 'session-token-0123456789' }
    const arn = `arn:aws:social-messaging:eu-west-1:123456789012:phone-number-id/aa${'1'.repeat(30)}`
    const plan = planRead(parseSourceSettings({ ...env(), ...vars }).settings, '+919100000001', { ...FIELDS.aws, account: 'tmp', phone_number_id: arn })
    if ('missing' in plan) throw new Error(plan.message)
    expect(await plan.read({ fetch, timeoutMs: 1500 })).toMatchObject({ kind: 'key' })
    const elsewhere = planRead(parseSourceSettings({ ...env(), ...vars }).settings, '+919100000001', {
      ...FIELDS.aws,
      account: 'tmp',
      phone_number_id: arn,
      region: 'us-east-1',
    })
    if ('missing' in elsewhere) throw new Error(elsewhere.message)
    expect((await failure(elsewhere.read({ fetch, timeoutMs: 1500 }))).code).toBe('aws_not_found')
  })
})

describe('the emulators themselves', () => {
  it('refuse a signature made with another secret, checked by their own SigV4 code', async () => {
    await expect(read('aws', { AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) })).rejects.toMatchObject({ code: 'aws_auth_failed' })
  })
})
