/** @module Config problems: each says what is wrong, the exact fix and what flowkey does meanwhile; several gaps are all listed. */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { DEFAULT_CHECK_BATCH_SIZE, parseConfig } from '../src/config'
import type { Env } from '../src/env'
import { request } from './support/worker'

const GOOD = { KALEYRA_SID: 'HXAP16XXXXXX97IN', KALEYRA_API_KEY: 'k', WATCH_NUMBERS: '+919876543210' }
const parse = (vars: Record<string, string>): ReturnType<typeof parseConfig> => parseConfig({ KEYS: env.KEYS, ...vars } as Env)
const names = (vars: Record<string, string>): string[] => parse(vars).problems.map((p) => p.name)
const message = (vars: Record<string, string>, name: string): string => parse(vars).problems.find((p) => p.name === name)?.message ?? ''

describe('config problems', () => {
  it('a good config has none', () => {
    expect(parse(GOOD).problems).toEqual([])
  })

  it('an empty config lists every missing thing: SID, API key, admin token, nothing to watch', () => {
    expect(names({})).toEqual(['KALEYRA_SID', 'KALEYRA_API_KEY', 'ADMIN_TOKEN', 'WATCH_NUMBERS'])
    for (const p of parse({}).problems) expect(p.message, p.name).toMatch(/Meanwhile/)
    expect(message({}, 'WATCH_NUMBERS')).toMatch(/Nothing to watch/)
  })

  it('a missing SID with WATCH_NUMBERS set does not say to set WATCH_NUMBERS', () => {
    const problems = parse({ KALEYRA_API_KEY: 'k', WATCH_NUMBERS: '+919876543210' }).problems
    expect(problems.map((p) => p.name)).toEqual(['KALEYRA_SID'])
    expect(problems[0]?.message).toMatch(/KALEYRA_SID is not set, so the 1 number\(s\) of WATCH_NUMBERS cannot be checked: set KALEYRA_SID/)
    expect(problems.map((p) => p.message).join(' ')).not.toMatch(/set WATCH_NUMBERS|Nothing to watch/i)
  })

  it('an admin token alone (numbers added through the routes) needs no WATCH_NUMBERS or SID', () => {
    expect(names({ ADMIN_TOKEN: 't', KALEYRA_API_KEY: 'k' })).toEqual([])
  })

  it('a malformed WATCH_NUMBERS says comma-separated E.164, no spaces, and keeps the good entries', () => {
    const { config } = parse({ ...GOOD, WATCH_NUMBERS: '+919876543210;+14155550100,+91 98765 43210,+14155550100' })
    expect(config.watchNumbers).toEqual(['+14155550100'])
    const text = message({ ...GOOD, WATCH_NUMBERS: '+91 98765 43210' }, 'WATCH_NUMBERS')
    expect(text).toContain('comma-separated E.164, no spaces')
    expect(text).toMatch(/Meanwhile this entry is skipped/)
  })

  it('WEBHOOK_URL without WEBHOOK_SECRET says the webhook is off and how to make a secret', () => {
    const text = message({ ...GOOD, WEBHOOK_URL: 'https://example.com/hook' }, 'WEBHOOK_SECRET')
    expect(text).toMatch(/the webhook is off/)
    expect(text).toContain('echo "whsec_$(openssl rand -base64 32)"')
  })

  it('an unknown KALEYRA_POD falls back to auto and says so', () => {
    const { config, problems } = parse({ ...GOOD, KALEYRA_POD: 'xx' })
    expect(config.pod).toBe('auto')
    expect(problems[0]?.message).toMatch(/KALEYRA_POD "xx" is not a pod: set it to in, sg, eu, na or auto\. Meanwhile flowkey uses auto/)
  })

  it('a missing API key says how to set it and that checks fail meanwhile', () => {
    expect(message({ KALEYRA_SID: 'HX1', WATCH_NUMBERS: '+919876543210' }, 'KALEYRA_API_KEY')).toMatch(
      /wrangler secret put KALEYRA_API_KEY.*Meanwhile every check fails/,
    )
  })

  it('CHECK_BATCH_SIZE defaults to 40, refuses non-numbers, and warns past the free plan budget', () => {
    expect(parse(GOOD).config.checkBatchSize).toBe(DEFAULT_CHECK_BATCH_SIZE)
    expect(parse({ ...GOOD, CHECK_BATCH_SIZE: '45' }).problems).toEqual([])
    const bad = parse({ ...GOOD, CHECK_BATCH_SIZE: 'lots' })
    expect(bad.config.checkBatchSize).toBe(40)
    expect(bad.problems[0]?.message).toMatch(/Meanwhile flowkey uses 40/)
    const big = parse({ ...GOOD, CHECK_BATCH_SIZE: '60' })
    expect(big.config.checkBatchSize).toBe(60)
    expect(big.problems).toEqual([expect.objectContaining({ name: 'CHECK_BATCH_SIZE', level: 'warning' })])
    expect(big.problems[0]?.message).toMatch(/50 subrequests/)
  })

  it('with KALEYRA_SID missing, the page and /healthz name the SID and never say to set WATCH_NUMBERS', async () => {
    const noSid = { ...env, KALEYRA_API_KEY: 'k', WATCH_NUMBERS: '+919876543210', ADMIN_TOKEN: 't' } as Env
    const page = await (await request(noSid, '/')).text()
    expect(page).toContain('KALEYRA_SID is not set')
    expect(page).not.toMatch(/No numbers are watched|set WATCH_NUMBERS/)
    const health = await request(noSid, '/healthz')
    expect(health.status).toBe(503)
    const body = await health.json<{ error: { code: string; message: string } }>()
    expect(body.error.code).toBe('misconfigured')
    expect(body.error.message).toMatch(/KALEYRA_SID is not set/)
    expect(body.error.message).not.toMatch(/set WATCH_NUMBERS/)
  })

  it('a CHECK_BATCH_SIZE warning is shown at /healthz without making it 503 misconfigured', async () => {
    const res = await request({ ...env, ...GOOD, CHECK_BATCH_SIZE: '60' } as Env, '/healthz')
    const body = await res.json<{ error?: { code: string }; problems: { name: string; level?: string }[] }>()
    expect(body.error?.code).not.toBe('misconfigured')
    expect(body.problems).toEqual([expect.objectContaining({ name: 'CHECK_BATCH_SIZE', level: 'warning' })])
  })
})
