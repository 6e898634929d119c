/** @module FLOW_ENDPOINTS and META_APP_SECRET(_<SID>) in Config: good entries kept, every bad one a clear problem that never shows a query or a secret. */
import { describe, expect, it } from 'vitest'
import { appSecretFor, parseConfig } from '../../src/config'
import type { Env } from '../../src/env'

const base = { KALEYRA_SID: 'HXAP16XXXXXX97IN', KALEYRA_API_KEY: 'k', WATCH_NUMBERS: '+919876543210,+14155550100' }
const parse = (vars: Partial<Env>) => parseConfig({ KEYS: undefined as unknown as KVNamespace, ...base, ...vars } as Env)

describe('FLOW_ENDPOINTS', () => {
  it('maps WATCH_NUMBERS numbers to their endpoint URLs, query kept for the fetch, phones normalised', () => {
    const { config, problems } = parse({
      FLOW_ENDPOINTS: JSON.stringify({ '+919876543210': 'https://flows.example.com/data?token=t', '14155550100': 'http://127.0.0.1:9000/x' }),
      ALLOW_PRIVATE_ENDPOINTS: 'true',
    })
    expect(problems).toEqual([])
    expect([...config.flowEndpoints]).toEqual([
      ['+919876543210', 'https://flows.example.com/data?token=t'],
      ['+14155550100', 'http://127.0.0.1:9000/x'],
    ])
  })

  it('unset or blank: no endpoints, no problem', () => {
    expect(parse({}).config.flowEndpoints.size).toBe(0)
    expect(parse({ FLOW_ENDPOINTS: '  ' }).problems).toEqual([])
  })

  it.each([
    ['{"+919876543210":', /FLOW_ENDPOINTS is not valid JSON/],
    ['["https://flows.example.com"]', /must be a JSON object/],
    ['"https://flows.example.com"', /must be a JSON object/],
  ])('%s is a clear problem, not a crash', (raw, message) => {
    const { config, problems } = parse({ FLOW_ENDPOINTS: raw })
    expect(problems).toEqual([{ name: 'FLOW_ENDPOINTS', message: expect.stringMatching(message) }])
    expect(config.flowEndpoints.size).toBe(0)
  })

  it('reports every bad entry and keeps the good ones', () => {
    const { config, problems } = parse({
      FLOW_ENDPOINTS: JSON.stringify({
        '+919876543210': 'https://flows.example.com/ok',
        '+14155550100': 'http://flows.example.com/d?token=SECRET',
        '+447700900123': 'https://flows.example.com/other',
        'not-a-phone': 'https://flows.example.com/x',
        '+919876543211': 42,
      }),
      WATCH_NUMBERS: '+919876543210,+14155550100,+919876543211',
    })
    expect([...config.flowEndpoints.keys()]).toEqual(['+919876543210'])
    expect(problems.map((p) => p.name)).toEqual(['FLOW_ENDPOINTS', 'FLOW_ENDPOINTS', 'FLOW_ENDPOINTS', 'FLOW_ENDPOINTS'])
    const text = problems.map((p) => p.message).join('\n')
    expect(text).toContain('FLOW_ENDPOINTS["+14155550100"] "http://flows.example.com/d" must use https:')
    expect(text).toContain('+447700900123, which is not in WATCH_NUMBERS')
    expect(text).toContain('"not-a-phone" is not an E.164 number')
    expect(text).toContain('FLOW_ENDPOINTS["+919876543211"] must be a URL string')
    expect(text).not.toContain('SECRET')
  })
})

describe('ALLOW_PRIVATE_ENDPOINTS', () => {
  const inward = JSON.stringify({
    '+919876543210': 'http://127.0.0.1:9000/x?token=SECRET',
    '+14155550100': 'https://[::ffff:a9fe:a9fe]/latest',
  })

  it('unset: an inward FLOW_ENDPOINTS entry is a configuration problem saying why, and is not probed', () => {
    const { config, problems } = parse({ FLOW_ENDPOINTS: inward })
    expect(config.allowPrivateEndpoints).toBe(false)
    expect(config.flowEndpoints.size).toBe(0)
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^FLOW_ENDPOINTS\["\+919876543210"\] "http:\/\/127\.0\.0\.1:9000\/x" names a loopback address .*ALLOW_PRIVATE_ENDPOINTS=true/),
      expect.stringMatching(/^FLOW_ENDPOINTS\["\+14155550100"\] .* names a link-local .* IPv4-mapped .* which flowkey never probes/),
    ])
    expect(JSON.stringify(problems)).not.toContain('SECRET')
  })

  it('true: loopback and private hosts are taken, the metadata address still is not', () => {
    const { config, problems } = parse({ FLOW_ENDPOINTS: inward, ALLOW_PRIVATE_ENDPOINTS: 'true' })
    expect([...config.flowEndpoints.keys()]).toEqual(['+919876543210'])
    expect(problems).toEqual([{ name: 'FLOW_ENDPOINTS', message: expect.stringContaining('link-local') }])
  })

  it('anything but true or false is a problem, and means false', () => {
    const { config, problems } = parse({ ALLOW_PRIVATE_ENDPOINTS: 'yes' })
    expect(config.allowPrivateEndpoints).toBe(false)
    expect(problems).toEqual([{ name: 'ALLOW_PRIVATE_ENDPOINTS', message: expect.stringContaining('"yes" is not true or false') }])
    expect(parse({ ALLOW_PRIVATE_ENDPOINTS: ' TRUE ' }).config.allowPrivateEndpoints).toBe(true)
    expect(parse({ ALLOW_PRIVATE_ENDPOINTS: 'false' }).problems).toEqual([])
  })
})

describe('META_APP_SECRET', () => {
  it('per SID first, then the default; secrets never print', () => {
    const { config, problems } = parse({
      META_APP_SECRET: ' default-secret ',
      META_APP_SECRET_HXOTHER: 'other-secret',
      META_APP_SECRET_HXBLANK: ' ',
    } as Partial<Env>)
    expect(problems).toEqual([])
    expect(appSecretFor(config, 'HXOTHER')?.reveal()).toBe('other-secret')
    expect(appSecretFor(config, 'HXAP16XXXXXX97IN')?.reveal()).toBe('default-secret')
    expect(appSecretFor(config, 'HXBLANK')?.reveal()).toBe('default-secret')
    const printed = JSON.stringify({ bySid: [...config.appSecretsBySid], fallback: config.defaultAppSecret })
    expect(printed).toBe('{"bySid":[["HXOTHER","[redacted]"]],"fallback":"[redacted]"}')
    expect(String(appSecretFor(config, 'HXOTHER'))).toBe('[redacted]')
  })

  it('unset: probes go unsigned', () => {
    expect(appSecretFor(parse({}).config, 'HXAP16XXXXXX97IN')).toBeNull()
  })
})
