/** @module endpoint.* events as receivers get them: the webhook body with `endpoint` (no query string), and Slack messages that say what to do. */
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { eventPayload, type FlowkeyEvent } from '../../src/notify/events'
import { eventMessage, summaryMessage, type SlackMessage } from '../../src/notify/slack'
import { importWebhookKey, signedRequest } from '../../src/notify/webhook'
import { decideEndpoint, initialEndpointState } from '../../src/probe/decide-endpoint'
import { adviceFor, type ProbeOutcome, type ProbeResult } from '../../src/probe/outcome'
import { Secret } from '../../src/secret'

const KID = 'Cn_VdPsAIDUzZzEZT9S-Ntvm99XfbfGDX8PoX6gbbtA'
const URL_SHOWN = 'https://flows.example.com/data'
const ctx = { phone: '+919876543210', sid: 'HXAP16XXXXXX97IN', pod: 'in', failingAfter: 1, seq: 0 }
const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

function result(outcome: ProbeOutcome, status: number | null, detail: string | null, signed = false): ProbeResult {
  return {
    outcome,
    http_status: status,
    latency_ms: 80,
    kid: KID,
    url: URL_SHOWN,
    signed,
    inconclusive: false,
    probed_at: '2026-05-04T03:02:01.000Z',
    detail,
    advice: adviceFor({ outcome, kid: KID, http_status: status, signed }),
  }
}

function eventFrom(outcome: ProbeOutcome, status: number | null, detail: string | null): FlowkeyEvent {
  const [event] = decideEndpoint(initialEndpointState(), result(outcome, status, detail), ctx).events
  if (!event) throw new Error('no event')
  return event
}

function restored(): FlowkeyEvent {
  const [event] = decideEndpoint({ ...initialEndpointState(), alerted: 'key_mismatch', consecutive_failures: 2 }, result('ok', 200, null), ctx).events
  if (!event) throw new Error('no event')
  return event
}

function words(message: SlackMessage): string {
  return [
    message.text,
    ...message.blocks.flatMap((b) => [
      'text' in b && b.text ? b.text.text : '',
      ...('fields' in b && b.fields ? b.fields.map((f) => f.text) : []),
      ...('elements' in b ? b.elements.map((e) => e.text) : []),
    ]),
  ].join('\n')
}

describe('the webhook body', () => {
  it('carries endpoint {url, outcome, http_status} and verifies with the standardwebhooks package', async () => {
    const event = eventFrom('key_mismatch', 421, 'The endpoint answered 421.')
    const request = await signedRequest(await importWebhookKey(new Secret(WEBHOOK_SECRET)), event.id, eventPayload(event), Date.now())
    const verified = new Webhook(WEBHOOK_SECRET).verify(request.body, request.headers) as { type: string; data: Record<string, unknown> }
    expect(verified.type).toBe('endpoint.key_mismatch')
    expect(verified.data).toEqual({
      phone: '+919876543210',
      source: 'kaleyra',
      sid: 'HXAP16XXXXXX97IN',
      pod: 'in',
      kid: KID,
      previous_kid: null,
      spki_sha256: null,
      signature_status: null,
      previous_signature_status: null,
      error: { code: 'endpoint_key_mismatch', message: 'The endpoint answered 421.' },
      endpoint: { url: URL_SHOWN, outcome: 'key_mismatch', http_status: 421 },
    })
  })

  it('other events have endpoint null, also when recorded before the field existed', () => {
    const old = {
      type: 'key.rotated' as const,
      timestamp: '2026-01-01T00:00:00.000Z',
      data: {
        phone: '+919876543210',
        sid: 'HX',
        pod: 'in',
        kid: 'a',
        previous_kid: 'b',
        spki_sha256: null,
        signature_status: 'VALID',
        previous_signature_status: 'VALID',
        error: null,
      },
    }
    expect(eventPayload(old as unknown as FlowkeyEvent).data.endpoint).toBeNull()
  })
})

describe('Slack', () => {
  it('endpoint.key_mismatch names the endpoint, the probe, the whole kid and both fixes', () => {
    const message = eventMessage(eventFrom('key_mismatch', 421, 'The endpoint answered 421.'))
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: ':closed_lock_with_key: Flow endpoint cannot decrypt: +919876543210', emoji: true },
    })
    expect(message.text).toBe(
      `Flow endpoint cannot decrypt for +919876543210: kid ${KID.slice(0, 10)}…, endpoint ${URL_SHOWN} key_mismatch (421), The endpoint answered 421.`,
    )
    const text = words(message)
    expect(text).toContain(`*Endpoint*\n\`${URL_SHOWN}\``)
    expect(text).toContain('*Probe*\n`key_mismatch`, HTTP 421')
    expect(text).toContain(`Deploy the endpoint with the private key whose kid is \`${KID}\``)
    expect(text).toContain('re-upload its public key for this number through Kaleyra')
    expect(text).toContain('*Seen*\nThe endpoint answered 421.')
    expect(text).not.toContain('*Signature*')
  })

  it.each([
    ['unreachable', null, 'The endpoint did not answer within 10000 ms.', /did not answer within 10000 ms.*check that it is deployed/s],
    ['http_error', 500, 'The endpoint answered 500.', /answered 500: check its logs.*private key is not the one for kid/s],
    ['bad_response', 200, 'The endpoint answered 200 with a body that does not decrypt.', /must answer the ping with \{"data":\{"status":"active"\}\}/],
    ['signature_rejected', 432, 'The endpoint answered 432: it rejected the request signature.', /check that META_APP_SECRET/],
  ] as const)('endpoint.failing after %s says what went wrong and what to do', (outcome, status, detail, advice) => {
    const message = eventMessage(eventFrom(outcome, status, detail))
    expect(message.blocks[0]).toMatchObject({ text: { text: ':rotating_light: Flow endpoint probes failing: +919876543210' } })
    const text = words(message)
    expect(text).toMatch(advice)
    expect(text).toContain(status === null ? `\`${outcome}\`, no answer` : `\`${outcome}\`, HTTP ${status}`)
  })

  it('endpoint.restored says nothing is to be done', () => {
    const event = restored()
    expect(event.type).toBe('endpoint.restored')
    expect(words(eventMessage(event))).toContain('Nothing: the Flow endpoint decrypts pings encrypted with the registered key')
  })

  it('a summary puts a key mismatch first', () => {
    const events = [restored(), eventFrom('unreachable', null, 'x'), eventFrom('key_mismatch', 421, 'y')]
    const text = words(summaryMessage(events))
    expect(text.indexOf('Flow endpoint cannot decrypt: +919876543210')).toBeLessThan(text.indexOf('Flow endpoint probes failing: +919876543210'))
  })
})
