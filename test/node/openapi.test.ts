/** @module /openapi.json is a valid OpenAPI 3.1 document, and real answers of the running worker match the schemas it documents. */
import SwaggerParser from '@apidevtools/swagger-parser'
import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DOCUMENT_PATH, renderOpenapiDocument } from '../../scripts/openapi.js'
import { LIVE_ADMIN_TOKEN, LIVE_SID, startLiveFlowkey, type LiveFlowkey } from '../support/node/live-worker.js'

const A = '+919820000001'
const B = '+919820000002'
const auth = { authorization: `Bearer ${LIVE_ADMIN_TOKEN}` }

interface Captured {
  method: string
  template: string
  status: number
  mediaType: string
  body: unknown
}

interface OpenApiDoc {
  openapi: string
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>
}

let live: LiveFlowkey
let doc: OpenApiDoc
const captured: Captured[] = []

/** Calls the worker and keeps the answer with the route template it belongs to. */
async function capture(method: string, template: string, path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(`${live.base}${path}`, { ...init, method })
  const mediaType = (res.headers.get('content-type') ?? '').split(';')[0].trim()
  const text = await res.clone().text()
  const body = mediaType.endsWith('json') && text ? JSON.parse(text) : text
  captured.push({ method: method.toLowerCase(), template, status: res.status, mediaType, body })
  return res
}

beforeAll(async () => {
  live = await startLiveFlowkey('openapi', [A, B])
  doc = (await (await fetch(`${live.base}/openapi.json`)).json()) as OpenApiDoc
}, 120_000)
afterAll(async () => {
  await live?.stop()
})

describe('the document', () => {
  it('is the one the route table builds (built at build time, so the generator is not in the bundle)', async () => {
    const committed = readFileSync(DOCUMENT_PATH, 'utf8')
    expect(committed).toBe(await renderOpenapiDocument())
    expect(JSON.parse(committed)).toEqual(doc)
  })

  it('validates as OpenAPI 3.1 with swagger-parser', async () => {
    expect(doc.openapi).toBe('3.1.0')
    await expect(SwaggerParser.validate(structuredClone(doc) as unknown as Parameters<typeof SwaggerParser.validate>[0])).resolves.toBeTruthy()
  })
})

describe('real answers match their documented schemas', () => {
  it('for every route, in healthy and troubled states, nullable fields included', async () => {
    const a = encodeURIComponent(A)
    const b = encodeURIComponent(B)
    const json = { ...auth, 'content-type': 'application/json' }
    // Healthy: every route once.
    await capture('GET', '/healthz', '/healthz')
    await capture('GET', '/healthz', '/healthz?strict=1')
    await capture('GET', '/.well-known/jwks.json', '/.well-known/jwks.json')
    await capture('GET', '/v1/numbers/{phone}/jwks.json', `/v1/numbers/${a}/jwks.json`)
    await capture('GET', '/v1/numbers/{phone}/key', `/v1/numbers/${a}/key`)
    await capture('GET', '/v1/numbers/{phone}/key', `/v1/numbers/${a}/key`, { headers: { accept: 'application/x-pem-file' } })
    await capture('GET', '/v1/numbers/{phone}/history', `/v1/numbers/${a}/history`)
    await capture('GET', '/v1/status', '/v1/status?limit=1', { headers: auth })
    await capture('POST', '/v1/check', `/v1/check?phone=${a}`, { headers: auth })
    await capture('GET', '/v1/numbers', '/v1/numbers', { headers: auth })
    await capture('PUT', '/v1/numbers/{phone}', '/v1/numbers/+919820000003', { headers: json, body: JSON.stringify({ sid: LIVE_SID, pod: 'in' }) })
    await capture('PUT', '/v1/numbers/{phone}', '/v1/numbers/+919820000003', { headers: json, body: JSON.stringify({ sid: LIVE_SID }) })
    await capture('DELETE', '/v1/numbers/{phone}', '/v1/numbers/+919820000003', { headers: auth })
    await capture('POST', '/v1/numbers', '/v1/numbers', { headers: json, body: JSON.stringify({ numbers: [{ phone: '+919820000004', sid: LIVE_SID }] }) })
    await capture('PUT', '/v1/numbers/{phone}', '/v1/numbers/+919820000005', { headers: json, body: JSON.stringify({ sid: LIVE_SID, labels: ['acme'] }) })
    const until = new Date(Date.now() + 3_600_000).toISOString()
    await capture('PUT', '/v1/numbers/{phone}/mute', '/v1/numbers/+919820000005/mute', { headers: json, body: JSON.stringify({ until, reason: 'planned' }) })
    await capture('GET', '/v1/status', '/v1/status', { headers: auth })
    await capture('DELETE', '/v1/numbers/{phone}/mute', '/v1/numbers/+919820000005/mute', { headers: auth })
    await capture('PUT', '/v1/numbers/{phone}/mute', '/v1/numbers/+919820000005/mute', { headers: json, body: JSON.stringify({ until: 'soon' }) })
    await capture('POST', '/v1/numbers/{phone}/probe', `/v1/numbers/${a}/probe`, { headers: auth })
    await capture('POST', '/v1/notify/test', '/v1/notify/test', { headers: auth })
    await capture('GET', '/', '/')
    await capture('GET', '/numbers/{phone}', `/numbers/${a}`)
    await capture('GET', '/openapi.json', '/openapi.json')
    // Troubled: a rotation, a signature that is not VALID, failing checks (nulls and errors in the bodies).
    await live.control('POST', `/numbers/${a}/rotate`, {})
    await live.control('PUT', `/numbers/${b}/status`, { status: 'MISMATCH' })
    await live.check()
    await live.control('POST', '/faults', { sid: LIVE_SID, phone: A, kind: '401', count: 4 })
    await live.check()
    await live.check()
    await capture('GET', '/healthz', '/healthz?strict=1')
    await capture('GET', '/v1/status', '/v1/status', { headers: auth })
    await capture('GET', '/v1/numbers/{phone}/history', `/v1/numbers/${a}/history`)
    await capture('GET', '/v1/numbers/{phone}/key', `/v1/numbers/${b}/key`)
    // Errors are documented too.
    await capture('GET', '/v1/numbers/{phone}/key', '/v1/numbers/12/key')
    await capture('GET', '/v1/numbers/{phone}/key', '/v1/numbers/+14155550100/key')
    await capture('GET', '/v1/numbers', '/v1/numbers?limit=0', { headers: auth })
    await capture('GET', '/v1/status', '/v1/status')
    await capture('POST', '/v1/numbers', '/v1/numbers', { headers: json, body: JSON.stringify({ numbers: [{ phone: '12', sid: LIVE_SID }] }) })
    await capture('GET', '/numbers/{phone}', '/numbers/+14155550100')
    const etag = (await fetch(`${live.base}/.well-known/jwks.json`)).headers.get('etag') ?? ''
    await capture('GET', '/.well-known/jwks.json', '/.well-known/jwks.json', { headers: { 'if-none-match': etag } })

    const ajv = new Ajv2020({ strict: false, allErrors: true })
    addFormats.default(ajv)
    ajv.addSchema({ ...doc, $id: 'openapi' })
    const seen = new Set<string>()
    for (const c of captured) {
      const label = `${c.method.toUpperCase()} ${c.template} ${c.status} ${c.mediaType}`
      const response = doc.paths[c.template]?.[c.method]?.responses[String(c.status)]
      expect(response, `${label}: status not documented`).toBeDefined()
      seen.add(`${c.method} ${c.template}`)
      if (c.status === 304 || c.status === 204) continue
      expect(response?.content?.[c.mediaType], `${label}: media type not documented`).toBeDefined()
      const pointer = ['paths', c.template, c.method, 'responses', String(c.status), 'content', c.mediaType, 'schema']
        .map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1'))
        .join('/')
      const validate = ajv.getSchema(`openapi#/${pointer}`)
      expect(validate, label).toBeDefined()
      const valid = validate?.(c.body)
      expect(valid, `${label}: ${ajv.errorsText(validate?.errors)}`).toBe(true)
    }
    // The validator can fail: a key whose checked_at is not a string or null is refused, a null one accepted.
    const key = captured.find((c) => c.template === '/v1/numbers/{phone}/key' && c.status === 200 && c.mediaType === 'application/json')?.body as Record<
      string,
      unknown
    >
    expect(ajv.validate({ $ref: 'openapi#/components/schemas/Key' }, { ...key, checked_at: null })).toBe(true)
    expect(ajv.validate({ $ref: 'openapi#/components/schemas/Key' }, { ...key, checked_at: 5 })).toBe(false)
    expect(ajv.validate({ $ref: 'openapi#/components/schemas/Key' }, { ...key, kid: undefined })).toBe(false)
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
    expect([...seen].sort()).toEqual(documented.sort())
  }, 60_000)
})
