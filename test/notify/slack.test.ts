/** @module Slack messages: the facts and the advice for each event, Block Kit's limits, escaping, and one summary for many events. */
import { describe, expect, it } from 'vitest'
import { SLACK_MESSAGES_PER_RUN, planSlack } from '../../src/notify/channels'
import { EVENT_TYPES, eventId, type EventData, type EventType, type FlowkeyEvent } from '../../src/notify/events'
import type { OutboxEntry } from '../../src/notify/outbox'
import { eventMessage, summaryMessage, type SlackMessage } from '../../src/notify/slack'

const KID = 'Cn_VdPsAIDUzZzEZT9S-Ntvm99XfbfGDX8PoX6gbbtA'
const OLD_KID = 'q3mV7x8Qz0sLr2YtUe9WnBcD4fGhJkLmNoPqRsTuVwX'

function event(type: EventType, data: Partial<EventData> = {}, phone = '+919876543210', seq = 1): FlowkeyEvent {
  const full: EventData = {
    phone,
    source: 'kaleyra',
    sid: 'HXAP16XXXXXX97IN',
    pod: 'in',
    kid: KID,
    previous_kid: null,
    spki_sha256: 'x'.repeat(43) + '=',
    signature_status: 'VALID',
    previous_signature_status: null,
    error: null,
    endpoint: null,
    ...data,
  }
  return { id: eventId(phone, seq, type, full.kid), seq, type, timestamp: '2026-05-04T03:02:01.000Z', data: full }
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

describe('one event', () => {
  it('a rotation names the number, both kids (short), status, pod, time and what to do', () => {
    const message = eventMessage(event('key.rotated', { previous_kid: OLD_KID, previous_signature_status: 'VALID' }))
    expect(message.text).toBe('Key rotated for +919876543210: kid q3mV7x8Qz0… → Cn_VdPsAID…, signature VALID')
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: ':key: Key rotated: +919876543210', emoji: true } })
    const text = words(message)
    for (const fact of [
      '*Old kid*\n`q3mV7x8Qz0…`',
      '*New kid*\n`Cn_VdPsAID…`',
      '*Pod*\n`in`',
      '*Signature*\n`VALID`',
      '<!date^1777863721^{date_short_pretty} {time_secs}|2026-05-04T03:02:01.000Z>',
    ]) {
      expect(text).toContain(fact)
    }
    expect(text).toContain('Make sure your Flow endpoint holds the private key matching the new kid `Cn_VdPsAID…`')
    expect(text).not.toContain(KID)
  })

  it.each([
    ['key.first_seen', {}, /Nothing, if your Flow endpoint holds the private key for kid/],
    ['key.removed', { kid: null, previous_kid: OLD_KID }, /Upload the public key of your Flow endpoint's key pair through Kaleyra/],
    [
      'key.signature_invalid',
      { signature_status: 'INVALID', previous_signature_status: 'VALID' },
      /signature as `INVALID`\. Re-upload the business public key through Kaleyra/,
    ],
    ['key.signature_restored', { previous_signature_status: 'INVALID' }, /`INVALID` → `VALID`/],
    [
      'check.failing',
      { error: { code: 'kaleyra_auth_failed', message: 'Kaleyra refused the API key' } },
      /`kaleyra_auth_failed`: Kaleyra refused the API key\)\. Check the SID `HXAP16XXXXXX97IN` and its API key/,
    ],
    [
      'check.failing',
      { error: { code: 'kaleyra_api_not_enabled', message: 'WA-401' } },
      /not enabled for the account `HXAP16XXXXXX97IN` \(WA-401\): ask Kaleyra support to enable it/,
    ],
    [
      'check.failing',
      { error: { code: 'kaleyra_server_error', message: 'Kaleyra failed internally (WA-500: Internal server error)' } },
      /Kaleyra is failing on its side[^]*the last good key is still served/,
    ],
    ['check.recovered', {}, /flowkey reads the key from Kaleyra again/],
  ] as const)('%s says what to do', (type, data, advice) => {
    const message = eventMessage(event(type, data))
    expect(message.text).toMatch(/for \+919876543210/)
    expect(words(message)).toMatch(advice)
    expect(message.blocks.length).toBeLessThanOrEqual(50)
  })

  it('escapes text from outside and keeps within Block Kit limits', () => {
    const message = eventMessage(event('check.failing', { error: { code: 'kaleyra_bad_response', message: `<html> & ${'y'.repeat(5000)}` } }))
    const text = words(message)
    expect(text).toContain('&lt;html&gt; &amp; ')
    expect(text).not.toContain('<html>')
    for (const block of message.blocks) {
      if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(150)
      if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000)
      if (block.type === 'section') for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000)
    }
  })
})

describe('many events', () => {
  it('a summary counts each type and shows a few examples, most urgent first', () => {
    const events = [
      ...Array.from({ length: 150 }, (_, i) => event('key.first_seen', {}, `+91980000${String(i).padStart(4, '0')}`)),
      event('key.signature_invalid', { signature_status: 'INVALID' }, '+919800009999', 2),
    ]
    const message = summaryMessage(events)
    expect(message.text).toBe('flowkey: 151 key events for 151 numbers (150 key first seen, 1 key signature not valid)')
    const text = words(message)
    expect(text).toContain('• *150* × :eyes: Key first seen')
    expect(text).toContain('146 more not shown')
    expect(text.indexOf('+919800009999')).toBeLessThan(text.indexOf('+919800000000'))
    expect(text).toContain('*Key signature not valid:* Meta reports')
  })

  const entry = (e: FlowkeyEvent): OutboxEntry => ({ event: e, queued_at: 0, deliveries: {} })

  it(`every first sighting goes in one message; up to ${SLACK_MESSAGES_PER_RUN} messages a run, else one summary`, () => {
    const seen = [1, 2, 3, 4].map((i) => entry(event('key.first_seen', {}, `+91980000000${i}`)))
    expect(planSlack(seen)).toEqual([seen])
    const rotated = [1, 2].map((i) => entry(event('key.rotated', { previous_kid: OLD_KID }, `+91980000000${i}`, 2)))
    expect(planSlack([...seen, ...rotated])).toEqual([seen, [rotated[0]], [rotated[1]]])
    const more = [...rotated, entry(event('key.removed', { kid: null }, '+919800000003', 2))]
    expect(planSlack([...seen, ...more])).toEqual([[...seen, ...more]])
  })

  it("keeps a number's order: a first sighting after another of its events is not pulled ahead", () => {
    const earlier = entry(event('key.rotated', { previous_kid: OLD_KID }, '+919800000001', 1))
    const later = entry(event('key.first_seen', {}, '+919800000001', 2))
    const other = entry(event('key.first_seen', {}, '+919800000002', 1))
    expect(planSlack([other, earlier, later])).toEqual([[other], [earlier], [later]])
  })

  it('knows every event type', () => {
    for (const type of EVENT_TYPES) expect(words(eventMessage(event(type))).length).toBeGreaterThan(100)
  })
})

describe('advice for a failing check', () => {
  it.each([
    'kaleyra_server_error',
    'kaleyra_timeout',
    'kaleyra_unreachable',
    'kaleyra_bad_response',
    'kaleyra_rate_limited',
    'kaleyra_api_not_enabled',
  ] as const)('%s does not send people to check the API key', (errorCode) => {
    const text = words(eventMessage(event('check.failing', { error: { code: errorCode, message: 'x' } })))
    expect(text).not.toMatch(/API key/i)
  })
})
