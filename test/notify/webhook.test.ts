/** @module Standard Webhooks signing: the specification's test vector, and the independent verifier's verdicts. */
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { importWebhookKey, signWebhook, signedRequest } from '../../src/notify/webhook'
import { Secret } from '../../src/secret'

// The test vector published with the Standard Webhooks specification (and its reference libraries' tests).
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
}
const OTHER_SECRET = 'whsec_c2VjcmV0LW9mLWFub3RoZXItZW5kcG9pbnQ='

describe('signature scheme', () => {
  it('reproduces the specification test vector', async () => {
    const key = await importWebhookKey(new Secret(SPEC.secret))
    expect(await signWebhook(key, SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature)
  })

  it('rejects a secret that is not base64, and an empty one', async () => {
    await expect(importWebhookKey(new Secret('whsec_not base64!'))).rejects.toThrow(/whsec_<base64>/)
    await expect(importWebhookKey(new Secret('whsec_'))).rejects.toThrow(/empty/)
  })
})

describe('a signed request, checked by the standardwebhooks package', () => {
  const payload = { type: 'key.rotated', timestamp: '2026-01-02T03:04:05.000Z', data: { phone: '+919876543210', kid: 'abc', error: null } }

  async function request(secret = SPEC.secret, at = Date.now()) {
    return signedRequest(await importWebhookKey(new Secret(secret)), 'evt_919876543210_2_key_rotated_abc', payload, at)
  }

  it("verifies, with the id, this attempt's time in seconds and the exact body", async () => {
    const now = Date.now()
    const { headers, body } = await request(SPEC.secret, now)
    expect(body).toBe(JSON.stringify(payload))
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': 'evt_919876543210_2_key_rotated_abc',
      'webhook-timestamp': String(Math.floor(now / 1000)),
    })
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/)
    expect(new Webhook(SPEC.secret).verify(body, headers)).toEqual(payload)
  })

  it('fails for a tampered body, another id, or a wrong secret', async () => {
    const { headers, body } = await request()
    const verifier = new Webhook(SPEC.secret)
    expect(() => verifier.verify(body.replace('abc', 'abd'), headers)).toThrow(/No matching signature/)
    expect(() => verifier.verify(body, { ...headers, 'webhook-id': 'evt_other' })).toThrow(/No matching signature/)
    expect(() => new Webhook(OTHER_SECRET).verify(body, headers)).toThrow(/No matching signature/)
    const forged = await request(OTHER_SECRET)
    expect(() => verifier.verify(forged.body, forged.headers)).toThrow(/No matching signature/)
  })

  it('fails when replayed later than the receiver tolerates (the timestamp is signed)', async () => {
    const { headers, body } = await request(SPEC.secret, Date.now() - 10 * 60_000)
    expect(() => new Webhook(SPEC.secret).verify(body, headers)).toThrow(/too old/)
    expect(() => new Webhook(SPEC.secret).verify(body, { ...headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) })).toThrow(
      /No matching signature/,
    )
  })
})
