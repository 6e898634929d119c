/** @module The receiver's log line for a webhook: its headers and the official standardwebhooks verdict, as npm start prints them. */
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { describe as describeRequest, verifyStandardWebhook } from '../../scripts/emulators/receiver.js'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const BODY = '{"type":"key.rotated","timestamp":"2026-11-25T20:00:00.000Z","data":{"phone":"+919876543210"}}'

function signed(body: string): Record<string, string> {
  const at = new Date()
  return {
    'content-type': 'application/json',
    'webhook-id': 'evt_1',
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(SECRET).sign('evt_1', at, body),
  }
}

describe('receiver log', () => {
  it('says verified for a correctly signed webhook, and shows the headers and the body', () => {
    const headers = signed(BODY)
    expect(verifyStandardWebhook(SECRET, headers, BODY)).toBe('standardwebhooks: signature verified')
    const line = describeRequest('POST', '/webhook', { status: 200, body: 'ok', headers: {}, down: false }, headers, BODY, SECRET)
    expect(line.split('\n').slice(0, 6)).toEqual([
      '[receiver] POST /webhook -> 200',
      '  content-type: application/json',
      '  webhook-id: evt_1',
      `  webhook-signature: ${headers['webhook-signature'] ?? ''}`,
      `  webhook-timestamp: ${headers['webhook-timestamp'] ?? ''}`,
      '  standardwebhooks: signature verified',
    ])
    expect(line).toContain('"type": "key.rotated"')
  })

  it('says NOT verified for an altered body or another secret', () => {
    const headers = signed(BODY)
    expect(verifyStandardWebhook(SECRET, headers, BODY.replace('rotated', 'removed'))).toMatch(/^standardwebhooks: NOT verified \(/)
    expect(verifyStandardWebhook('whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==', headers, BODY)).toMatch(/^standardwebhooks: NOT verified/)
  })

  it('says nothing about signatures for a request without one (Slack)', () => {
    const line = describeRequest(
      'POST',
      '/slack',
      { status: 200, body: 'ok', headers: {}, down: false },
      { 'content-type': 'application/json' },
      '{"text":"x"}',
      SECRET,
    )
    expect(line).not.toContain('standardwebhooks')
  })
})
