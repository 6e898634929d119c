/** @module The redactor on its own: every spelling of every secret goes, whatever surrounds it, and ordinary text stays. */
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config'
import type { Env } from '../../src/env'
import { createRedactor, REDACTED, urlParts, webhookSecretParts } from '../../src/secrets/redact'

const KEY = 'Ak7Qz2LmN9pR4sT8vW1xY3bC5dE6fG0h'
const redact = createRedactor([KEY])
const b64 = (text: string): string => btoa(text)
const b64url = (text: string): string => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

describe('every spelling of a secret', () => {
  it.each([
    ['whole', `error: ${KEY}`],
    ['upper case', `ERROR: ${KEY.toUpperCase()}`],
    ['lower case', `error: ${KEY.toLowerCase()}`],
    ['URL-encoded', `path=${encodeURIComponent(`${KEY}/x`)}`],
    ['JSON-escaped', JSON.stringify({ k: KEY })],
  ])('%s', (_, text) => {
    const out = redact(text)
    expect(out).toContain(REDACTED)
    expect(out.toLowerCase()).not.toContain(KEY.slice(0, 12).toLowerCase())
  })

  it.each([0, 1, 2, 3, 4, 5])('base64 and base64url inside a longer encoded text, %i bytes in', (offset) => {
    const plain = `${'x'.repeat(offset)}api-key: ${KEY}; more text after it`
    for (const encoded of [b64(plain), b64url(plain)]) {
      const out = redact(`body=${encoded}`)
      expect(out).toContain(REDACTED)
      // What is left decodes to no trace of the key's middle.
      expect(out).not.toContain(b64(KEY).slice(8, 24))
    }
  })

  it('keeps text without secrets as it is, and redacts overlapping spellings once', () => {
    expect(redact('Please try again later')).toBe('Please try again later')
    expect(redact(`${KEY}${KEY}`)).toBe(`${REDACTED}`)
  })

  it('keeps indexes right around characters whose lower case is longer (İ)', () => {
    expect(redact(`İİ ${KEY} İ`)).toBe(`İİ ${REDACTED} İ`)
  })

  it('costs one pass per spelling: a 256 KiB text of near-misses comes back unchanged', () => {
    const nearMiss = KEY.slice(0, -1)
    const text = `${nearMiss} `.repeat(Math.ceil((256 * 1024) / (nearMiss.length + 1)))
    expect(redact(text)).toBe(text)
  })
})

describe('derived parts', () => {
  it('a Slack URL: its path and its token are secret on their own', () => {
    const url = 'https://hooks.slack.com/services/T0AAAA1111/B0BBBB2222/xoxTokenPart1234567890ab'
    const r = createRedactor([url], urlParts(url))
    expect(r('not found: /services/T0AAAA1111/B0BBBB2222/xoxTokenPart1234567890ab')).not.toMatch(/xoxToken|B0BBBB2222/)
    expect(r('token xoxtokenpart1234567890AB')).toBe(`token ${REDACTED}`)
    // Short segments ("services") are not secrets: redacting them would garble ordinary text.
    expect(r('our services are fine')).toBe('our services are fine')
  })

  it('a webhook secret: whole, its base64 body and its key bytes as hex', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
    const r = createRedactor([secret], webhookSecretParts(secret))
    const hex = [...atob('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('')
    for (const text of [secret, 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', hex]) expect(r(`x ${text} y`)).toBe(`x ${REDACTED} y`)
  })
})

describe('config collects every secret', () => {
  it('API keys (default and per SID), Slack URL, webhook secret, admin token and Meta app secrets', () => {
    const env = {
      KALEYRA_SID: 'HXREDACT01IN',
      KALEYRA_API_KEY: 'default-api-key-0001',
      KALEYRA_API_KEY_HXOTHER02IN: 'per-sid-api-key-0002',
      SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0CFG/B0CFG/slackTokenCfg000003',
      WEBHOOK_URL: 'https://receiver.example/hook',
      WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      ADMIN_TOKEN: 'admin-token-value-0004',
      META_APP_SECRET: 'meta-app-secret-0005',
      META_APP_SECRET_HXOTHER02IN: 'meta-app-secret-0006',
    } as unknown as Env
    const { config, problems } = parseConfig(env)
    expect(problems).toEqual([])
    expect(config.secrets).toHaveLength(7)
    const text = Object.values(env).join(' | ')
    const out = config.redact(text)
    for (const value of [
      'default-api-key-0001',
      'per-sid-api-key-0002',
      'slackTokenCfg000003',
      'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'admin-token-value-0004',
      'meta-app-secret-0005',
      'meta-app-secret-0006',
    ]) {
      expect(out).not.toContain(value)
    }
    // Not secret: the SID and the webhook URL stay readable.
    expect(out).toContain('HXREDACT01IN')
    expect(out).toContain('https://receiver.example/hook')
    // Secrets print as [redacted] wherever a config is logged.
    expect(JSON.stringify(config)).not.toContain('default-api-key-0001')
  })
})
