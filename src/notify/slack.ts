/** @module Pure builders of Slack incoming-webhook messages (`text` for notifications, Block Kit `blocks` for reading). */
import { EVENT_TYPES, type EndpointInfo, type FlowkeyEvent } from './events'
import { WORDING, clip, code, escapeText, shortKid, slackTime } from './slack-wording'

// Block Kit's limits: header text 150 characters, section text 3000, each field 2000.
const HEADER_MAX = 150
const SECTION_MAX = 3000
const FIELD_MAX = 2000
/** A summary names this many events; the rest are counted, and listed in /v1/status and each number's history. */
export const SUMMARY_EXAMPLES = 5

interface PlainText {
  type: 'plain_text'
  text: string
  emoji: true
}
interface Mrkdwn {
  type: 'mrkdwn'
  text: string
}
export type SlackBlock = { type: 'header'; text: PlainText } | { type: 'section'; text?: Mrkdwn; fields?: Mrkdwn[] } | { type: 'context'; elements: Mrkdwn[] }

export interface SlackMessage {
  text: string
  blocks: SlackBlock[]
}

/** One event: what happened, the number, old and new kid, signature status, pod, time, and what to do. */
export function eventMessage(event: FlowkeyEvent): SlackMessage {
  const { data } = event
  const wording = WORDING[event.type]
  const fields = [
    field('Number', escapeText(data.phone)),
    field('Pod', data.pod ? code(data.pod) : 'unknown'),
    ...(data.previous_kid !== null
      ? [field('Old kid', code(shortKid(data.previous_kid))), field('New kid', code(shortKid(data.kid)))]
      : [field('Kid', code(shortKid(data.kid)))]),
    ...(data.endpoint ? [field('Endpoint', code(data.endpoint.url)), field('Probe', probe(data.endpoint))] : [field('Signature', signature(event))]),
    field('Time', slackTime(event.timestamp)),
    ...(data.error
      ? [data.endpoint ? field('Seen', escapeText(data.error.message)) : field('Error', `${code(data.error.code)}: ${escapeText(data.error.message)}`)]
      : []),
  ]
  return {
    text: clip(`${wording.title} for ${data.phone}: ${facts(event)}`, SECTION_MAX),
    blocks: [
      header(`${wording.emoji} ${wording.title}: ${data.phone}`),
      { type: 'section', fields },
      section(`*What to do:* ${wording.todo(event)}`),
      context(`${code(event.type)} · event ${code(event.id)} · ${data.sid === null ? `source ${code(data.source ?? 'kaleyra')}` : `SID ${code(data.sid)}`}`),
    ],
  }
}

/** Many events at once (a fleet's first run, a backlog after an outage): one message, counts per type and a few examples. */
export function summaryMessage(events: readonly FlowkeyEvent[]): SlackMessage {
  const numbers = new Set(events.map((e) => e.data.phone)).size
  const counts = EVENT_TYPES.map((type) => ({ type, count: events.filter((e) => e.type === type).length })).filter((c) => c.count > 0)
  const onlyFirstSeen = counts.length === 1 && counts[0].type === 'key.first_seen'
  const title = onlyFirstSeen
    ? `${WORDING['key.first_seen'].emoji} Now watching ${numbers} numbers`
    : `:bell: ${events.length} key events for ${numbers} numbers`
  const countText = counts.map((c) => `${c.count} ${WORDING[c.type].title.toLowerCase()}`).join(', ')
  const examples = [...events].sort((a, b) => WORDING[a.type].severity - WORDING[b.type].severity).slice(0, SUMMARY_EXAMPLES)
  const more = events.length - examples.length
  const todo = counts.map((c) => `• *${WORDING[c.type].title}:* ${WORDING[c.type].todo(null)}`)
  return {
    text: clip(`flowkey: ${events.length} key events for ${numbers} numbers (${countText})`, SECTION_MAX),
    blocks: [
      header(title),
      section(counts.map((c) => `• *${c.count}* × ${WORDING[c.type].emoji} ${WORDING[c.type].title}`).join('\n')),
      section(`*${more > 0 ? 'For example' : 'Events'}:*\n${examples.map(exampleLine).join('\n')}`),
      section(`*What to do:*\n${todo.join('\n')}`),
      context(
        more > 0 ? `${more} more not shown: see \`GET /v1/status\` and \`GET /v1/numbers/{phone}/history\`` : 'Details: `GET /v1/numbers/{phone}/history`',
      ),
    ],
  }
}

/** POST /v1/notify/test: proves the wiring without pretending anything happened to a key. */
export function pingMessage(at: string): SlackMessage {
  return {
    text: 'flowkey test notification: this channel receives key alerts.',
    blocks: [
      header(':wave: flowkey test notification'),
      section(
        `This channel receives flowkey's alerts when a WhatsApp Flows business encryption key rotates, disappears, loses its valid signature, or cannot be checked. Sent ${slackTime(at)} from \`POST /v1/notify/test\`.`,
      ),
    ],
  }
}

function facts(event: FlowkeyEvent): string {
  const { data } = event
  const parts = [data.previous_kid !== null ? `kid ${shortKid(data.previous_kid)} → ${shortKid(data.kid)}` : `kid ${shortKid(data.kid)}`]
  if (data.endpoint)
    parts.push(`endpoint ${data.endpoint.url} ${data.endpoint.outcome}${data.endpoint.http_status === null ? '' : ` (${data.endpoint.http_status})`}`)
  else if (data.signature_status) parts.push(`signature ${data.signature_status}`)
  // An endpoint event's error code repeats its outcome: only the sentence adds anything.
  if (data.error) parts.push(data.endpoint ? data.error.message : `${data.error.code}: ${data.error.message}`)
  return escapeText(parts.join(', '))
}

function exampleLine(event: FlowkeyEvent): string {
  const wording = WORDING[event.type]
  return clip(`• ${wording.emoji} ${wording.title}: ${escapeText(event.data.phone)}, ${facts(event)}`, 400)
}

function signature(event: FlowkeyEvent): string {
  const { signature_status: now, previous_signature_status: before } = event.data
  if (before && now && before !== now) return `${code(before)} → ${code(now)}`
  return now ? code(now) : 'unknown'
}

function probe(endpoint: EndpointInfo): string {
  return `${code(endpoint.outcome)}${endpoint.http_status === null ? ', no answer' : `, HTTP ${endpoint.http_status}`}`
}

function header(text: string): SlackBlock {
  return { type: 'header', text: { type: 'plain_text', text: clip(text, HEADER_MAX), emoji: true } }
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, SECTION_MAX) } }
}

function field(label: string, value: string): Mrkdwn {
  return { type: 'mrkdwn', text: clip(`*${label}*\n${value}`, FIELD_MAX) }
}

function context(text: string): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, SECTION_MAX) }] }
}
