/** @module A fleet of all four sources, added by one CSV import and checked by one cron run in workerd: keys served with their source, the same events as Kaleyra's, a missing credential named. */
import { reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import type { FlowkeyEvent } from '../../src/notify/events'
import { Account } from '../support/kaleyra'
import { lastRun, numberStatus } from '../support/ledger'
import { SourceEmulator } from '../support/sources'
import { forgetIsolateCache, operator, request, testEnv, tick } from '../support/worker'

const account = new Account('HXMIXEDFLEET01IN', 'mixed-fleet-kaleyra-key-0123456789')
const meta = new SourceEmulator('meta', '9200')
const d360 = new SourceEmulator('360dialog', 'mx-')
const aws = new SourceEmulator('aws', 'phone-number-id-bb')
const AWS_ID = `phone-number-id-bb${'2'.repeat(30)}`
const SECRETS = {
  META_ACCESS_TOKEN_ACME: 'mixed-meta-token-acme-0123456789abcdef',
  D360_API_KEY_ACME: 'mixed-d360-key-acme-0123456789abcdef',
  AWS_ACCESS_KEY_ID: 'AKIAMIXEDFLEET000001',
  AWS_SECRET_ACCESS_KEY: 'mixed-aws-secret-7f3k9q2w8e5r1t6y4u0i',
}
const PHONES = { kaleyra: '+919840000001', meta: '+919840000002', '360dialog': '+919840000003', aws: '+919840000004', lacking: '+919840000005' }
/** The columns in an order of their own, as a spreadsheet might write them. */
const CSV = [
  'region,source,phone,account,phone_number_id,sid,pod',
  `,kaleyra,${PHONES.kaleyra},,,${account.sid},in`,
  `,meta,${PHONES.meta},acme,9200001,,`,
  `,360dialog,${PHONES['360dialog']},acme,,,`,
  `eu-west-1,aws,${PHONES.aws},,${AWS_ID},,`,
  `,360dialog,${PHONES.lacking},nokey,,,`,
].join('\r\n')

function env(vars: Record<string, string> = {}) {
  return testEnv(account, {
    WATCH_NUMBERS: '',
    META_GRAPH_URL: meta.url,
    D360_API_URL: d360.url,
    AWS_ENDPOINT_URL_SOCIALMESSAGING: aws.url,
    FAILING_AFTER: '1',
    ...SECRETS,
    ...vars,
  })
}

async function history(e: ReturnType<typeof env>, phone: string): Promise<FlowkeyEvent[]> {
  const res = await request(e, `/v1/numbers/${phone}/history`, operator())
  return (await res.json<{ events: FlowkeyEvent[] }>()).events
}

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
  await Promise.all([meta.reset(), d360.reset(), aws.reset()])
  await account.addNumber(PHONES.kaleyra)
  await meta.addNumber('9200001', { credential: SECRETS.META_ACCESS_TOKEN_ACME, shape: 'flat' })
  await d360.addNumber('mx-acme', { credential: SECRETS.D360_API_KEY_ACME })
  await aws.credentials(SECRETS.AWS_ACCESS_KEY_ID, SECRETS.AWS_SECRET_ACCESS_KEY)
  await aws.addNumber(AWS_ID, { region: 'eu-west-1' })
})

describe('a fleet of every source', () => {
  it('is added by one import and checked by one cron run; each key is served with its source', async () => {
    const e = env()
    const imported = await request(e, '/v1/numbers', operator({ method: 'POST', headers: { 'content-type': 'text/csv' }, body: CSV }))
    expect(await imported.json()).toEqual({ added: 5, changed: 0, unchanged: 0 })
    await tick(e)
    expect(await lastRun()).toMatchObject({ checked: 5, succeeded: 4, failed: 1 })
    for (const source of ['kaleyra', 'meta', '360dialog', 'aws'] as const) {
      const key = await (await request(e, `/v1/numbers/${PHONES[source]}/key`)).json<{ source: string; pod: string | null; signature_status: string }>()
      expect(key, source).toMatchObject({ source, signature_status: 'VALID', pod: source === 'kaleyra' ? 'in' : null })
    }
    const list = await (
      await request(e, '/v1/numbers', operator())
    ).json<{ numbers: { phone: string; source: string; sid: string | null; account: string | null }[] }>()
    expect(list.numbers.find((n) => n.phone === PHONES.meta)).toMatchObject({
      source: 'meta',
      sid: null,
      pod: null,
      account: 'acme',
      phone_number_id: '9200001',
      origin: 'operator',
    })
    expect(list.numbers.find((n) => n.phone === PHONES.aws)).toMatchObject({ source: 'aws', region: 'eu-west-1', phone_number_id: AWS_ID })
    const status = await (await request(e, '/v1/status', operator())).json<{ numbers: { phone: string; source: string }[] }>()
    expect(status.numbers.map((n) => n.source).sort()).toEqual(['360dialog', '360dialog', 'aws', 'kaleyra', 'meta'])
    const fleetJwks = await (await request(e, '/.well-known/jwks.json')).json<{ keys: unknown[] }>()
    expect(fleetJwks.keys).toHaveLength(4)
    for (const emulator of [meta, d360, aws]) expect(await emulator.expectOnlyReads()).toHaveLength(1)
  })

  it('names a missing credential at /healthz and fails its number with missing_credentials, asking nobody', async () => {
    const e = env()
    await request(e, '/v1/numbers', operator({ method: 'POST', headers: { 'content-type': 'text/csv' }, body: CSV }))
    await tick(e)
    expect(await numberStatus(PHONES.lacking)).toMatchObject({ outcome: 'error', error: { code: 'missing_credentials' } })
    const health = await (await request(e, '/healthz')).json<{ problems: { name: string; message: string }[] }>()
    expect(health.problems).toContainEqual(
      expect.objectContaining({ name: 'D360_API_KEY_NOKEY', message: expect.stringMatching(/npx wrangler secret put D360_API_KEY_NOKEY/) }),
    )
    const [failing] = await history(e, PHONES.lacking)
    expect(failing).toMatchObject({ type: 'check.failing', data: { source: '360dialog', sid: null, pod: null, error: { code: 'missing_credentials' } } })
  })

  it('gives every source the events Kaleyra gets: rotation, MISMATCH, removal, failing and recovered', async () => {
    const e = env()
    await request(e, '/v1/numbers', operator({ method: 'POST', headers: { 'content-type': 'text/csv' }, body: CSV }))
    await tick(e, Date.now())
    await meta.rotate('9200001')
    await d360.setStatus('mx-acme', 'MISMATCH')
    await aws.removeKey(AWS_ID)
    await account.rotate(PHONES.kaleyra)
    await tick(e, Date.now() + 600_000)
    const latest = async (phone: string) => (await history(e, phone))[0]
    expect(await latest(PHONES.meta)).toMatchObject({ type: 'key.rotated', data: { source: 'meta', sid: null } })
    expect(await latest(PHONES.kaleyra)).toMatchObject({ type: 'key.rotated', data: { source: 'kaleyra', sid: account.sid, pod: 'in' } })
    expect(await latest(PHONES['360dialog'])).toMatchObject({ type: 'key.signature_invalid', data: { source: '360dialog', signature_status: 'MISMATCH' } })
    expect(await latest(PHONES.aws)).toMatchObject({ type: 'key.removed', data: { source: 'aws' } })
    await meta.fail('server', 10, '9200001')
    await aws.fail('auth', 10, AWS_ID)
    await tick(e, Date.now() + 1_200_000)
    expect(await latest(PHONES.meta)).toMatchObject({ type: 'check.failing', data: { source: 'meta', error: { code: 'meta_server_error' } } })
    expect(await latest(PHONES.aws)).toMatchObject({ type: 'check.failing', data: { source: 'aws', error: { code: 'aws_auth_failed' } } })
    await meta.control('DELETE', `/faults?id=${meta.prefix}`)
    await aws.control('DELETE', `/faults?id=${aws.prefix}`)
    await tick(e, Date.now() + 1_800_000)
    expect(await latest(PHONES.meta)).toMatchObject({ type: 'check.recovered', data: { source: 'meta' } })
    for (const emulator of [meta, d360, aws]) await emulator.expectOnlyReads()
  })
})

describe('per-source fields', () => {
  it.each([
    [{ source: 'meta' }, /"phone_number_id" is required/],
    [{ source: 'meta', phone_number_id: '+91 98' }, /"phone_number_id" must be Meta's numeric/],
    [{ source: 'meta', phone_number_id: '1', sid: 'HX1' }, /"sid" belongs to kaleyra numbers/],
    [{ source: 'aws', phone_number_id: AWS_ID }, /"region" is required/],
    [{ source: 'aws', phone_number_id: 'x', region: 'eu-west-1' }, /"phone_number_id" is required for aws/],
    [{ source: '360dialog', region: 'eu-west-1' }, /"region" belongs to aws numbers/],
    [{ source: '360dialog', account: 'bad-account!' }, /"account" must be 1 to 64/],
    [{ source: 'gupshup' }, /"source".*"kaleyra"\|"meta"\|"360dialog"\|"aws"/],
  ])('PUT %j is a 400 naming the field', async (body, message) => {
    const res = await request(
      env(),
      `/v1/numbers/${PHONES.meta}`,
      operator({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    )
    expect(res.status).toBe(400)
    expect((await res.json<{ error: { code: string; message: string } }>()).error).toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(message),
    })
  })

  it('keeps the import all or nothing, listing each bad entry', async () => {
    const e = env()
    const body = JSON.stringify({
      numbers: [
        { phone: PHONES.meta, source: 'meta', phone_number_id: '9200001' },
        { phone: PHONES.aws, source: 'aws' },
      ],
    })
    const res = await request(e, '/v1/numbers', operator({ method: 'POST', headers: { 'content-type': 'application/json' }, body }))
    expect(res.status).toBe(400)
    const { error } = await res.json<{ error: { entries: { index: number; message: string }[] } }>()
    expect(error.entries).toEqual([expect.objectContaining({ index: 1, message: expect.stringMatching(/"region" is required/) })])
    const list = await (await request(e, '/v1/numbers', operator())).json<{ numbers: unknown[] }>()
    expect(list.numbers).toEqual([])
  })

  it('warns on PUT when the credentials are not set', async () => {
    const res = await request(
      env(),
      `/v1/numbers/${PHONES.meta}`,
      operator({
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'meta', phone_number_id: '1', account: 'other' }),
      }),
    )
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({ source: 'meta', sid: null, warnings: [expect.stringMatching(/META_ACCESS_TOKEN_OTHER \(or META_ACCESS_TOKEN\)/)] })
  })
})
