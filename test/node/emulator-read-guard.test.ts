/** @module The key sources' emulators refuse and keep every write, a GET with a body included, and the suite's teardown check fails on one; on private emulators, so the shared ones stay clean. */
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestProject } from 'vitest/node'
import { startAwsSocial } from '../../scripts/emulators/aws-social.js'
import { startD360 } from '../../scripts/emulators/d360.js'
import { startKaleyraPod, type KaleyraPod } from '../../scripts/emulators/kaleyra-pod.js'
import { startMetaGraph } from '../../scripts/emulators/meta-graph.js'
import { assertOnlyReads, type ReadGuard } from '../../scripts/emulators/read-only.js'
import type { SourceEmulator } from '../../scripts/emulators/source-emulator.js'
import setup from '../support/node/global-setup.js'

const SID = 'HXGUARDTEST00001'
const API_KEY = 'guard-test-key'
const PHONE = '+919800000101'
const TOKEN = 'guard-test-meta-token'
const FORM = 'application/x-www-form-urlencoded'
const KALEYRA_READ = `/v2/${SID}/whatsapp/${PHONE}/flows_encryption`

let kaleyra: KaleyraPod
let meta: SourceEmulator
let d360: SourceEmulator
let aws: SourceEmulator

/** node:http, because fetch refuses to send a GET with a body: a client that did would still be caught. */
function send(base: string, method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** The teardown's verdict over these guards: the error's message, or null when it passes. */
function verdict(guards: readonly ReadGuard[]): string | null {
  try {
    assertOnlyReads(guards)
    return null
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
}

beforeAll(async () => {
  ;[kaleyra, meta, d360, aws] = await Promise.all([startKaleyraPod(), startMetaGraph(), startD360(), startAwsSocial()])
})
afterAll(async () => {
  await Promise.all([kaleyra, meta, d360, aws].map((e) => e.close()))
})

describe('the read guard', () => {
  it("passes Kaleyra's documented read: a POST with the form content type and no body", async () => {
    kaleyra.state.putAccount(SID, API_KEY)
    await kaleyra.state.putNumber({ sid: SID, phone: PHONE })
    expect((await send(kaleyra.url, 'POST', KALEYRA_READ, { 'api-key': API_KEY, 'content-type': FORM })).status).toBe(200)
    expect(kaleyra.guard).toMatchObject({ seen: 1, refused: [] })
    expect(verdict([kaleyra.guard])).toBeNull()
  })

  it.each([
    ['kaleyra', () => kaleyra, KALEYRA_READ, { 'api-key': API_KEY, 'content-type': FORM }],
    ['meta', () => meta, '/v25.0/9100101/whatsapp_business_encryption', { authorization: `Bearer ${TOKEN}` }],
    ['360dialog', () => d360, '/whatsapp_business_encryption', { 'd360-api-key': 'guard-test-channel' }],
    ['aws', () => aws, '/v1/whatsapp/business-public-key?originationPhoneNumberId=phone-number-id-guard', {}],
  ] as const)('%s refuses a GET with a body, and the teardown check fails on it', async (name, emulator, path, headers) => {
    const { guard } = emulator()
    const res = await send(emulator().url, 'GET', path, headers, '{"x":1}')
    expect(res.status).toBe(405)
    expect(guard.refused.at(-1)).toMatchObject({ emulator: name, method: 'GET', bodyBytes: 7, writes: ['a body of 7 bytes'] })
    const message = verdict([guard])
    expect(message).toMatch(/^the key source emulators saw \d+ write\(s\)/)
    expect(message).toContain(`${name} GET ${path}: a body of 7 bytes`)
  })

  it("refuses Kaleyra's Set, keeps the key and counts the attempt on the number", async () => {
    const before = kaleyra.state.findNumber(PHONE, SID).pem
    const res = await send(kaleyra.url, 'POST', KALEYRA_READ, { 'api-key': API_KEY, 'content-type': FORM }, 'business_public_key=x')
    expect(res.status).toBe(405)
    expect(JSON.parse(res.text)).toMatchObject({ code: 'WA-405', data: {}, error: { write: 'a body of 21 bytes, the field business_public_key' } })
    expect(kaleyra.state.findNumber(PHONE, SID)).toMatchObject({ pem: before, sets: 1 })
    expect(kaleyra.state.requestLog(SID, PHONE).requests.at(-1)).toMatchObject({
      bodyBytes: 21,
      writes: ['a body of 21 bytes', 'the field business_public_key'],
    })
  })

  it("flags Meta's Set in every form it takes: the method, the body and the key field", async () => {
    const res = await send(meta.url, 'POST', '/v25.0/9100099/whatsapp_business_encryption', { authorization: `Bearer ${TOKEN}` }, 'business_public_key=x')
    expect(res.status).toBe(405)
    expect(meta.guard.refused.at(-1)?.writes).toEqual(['method POST', 'a body of 21 bytes', 'the field business_public_key'])
  })

  it('catches a write on a path no route serves, and keeps it when a test clears the request log', async () => {
    await send(kaleyra.url, 'PUT', '/v2/elsewhere', {})
    expect(kaleyra.guard.refused.at(-1)).toMatchObject({ method: 'PUT', path: '/v2/elsewhere', writes: ['method PUT'] })
    const refused = kaleyra.guard.refused.length
    await send(kaleyra.url, 'POST', '/_emulator/reset', {})
    await send(meta.url, 'POST', '/_emulator/reset', {}, '{"prefix":""}')
    expect(kaleyra.guard.refused).toHaveLength(refused)
    expect(verdict([kaleyra.guard, meta.guard])).not.toBeNull()
  })

  it('never counts the control API, whose calls carry JSON bodies by design', async () => {
    const seen = kaleyra.guard.seen
    await send(kaleyra.url, 'PUT', `/_emulator/accounts/${SID}B`, {}, JSON.stringify({ apiKey: API_KEY }))
    expect(kaleyra.guard.seen).toBe(seen)
  })
})

describe('the suite teardown', () => {
  it('fails the run when any key source emulator saw a body, on a GET too, and stops every emulator', async () => {
    const provided = new Map<string, string>()
    // Only `provide` is used by the setup: the URLs it hands the workerd tests.
    const project = { provide: (key: string, value: string) => provided.set(key, value) } as unknown as TestProject
    const teardown = await setup(project)
    const awsUrl = provided.get('awsUrl') ?? ''
    await send(awsUrl, 'GET', '/v1/whatsapp/business-public-key', {}, 'x')
    const exitCode = process.exitCode
    try {
      await expect(teardown()).rejects.toThrow(/aws GET \/v1\/whatsapp\/business-public-key: a body of 1 byte$/)
      expect(process.exitCode).toBe(1)
    } finally {
      process.exitCode = exitCode
    }
    await expect(send(awsUrl, 'GET', '/', {})).rejects.toThrow()
  })
})
