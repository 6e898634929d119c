/** @module What each event means to a person reading Slack: a title, an emoji, what to do, and Slack's text escaping. */
import { adviceFor, PROBE_OUTCOMES, type ProbeOutcome } from '../probe/outcome'
import type { EventType, FlowkeyEvent } from './events'
import { failureAdvice } from '../sources/failures'

export interface Wording {
  emoji: string
  title: string
  /** Most urgent first, to pick a summary's examples. */
  severity: number
  /** What to do; generic when `event` is null (a summary speaks for many). */
  todo: (event: FlowkeyEvent | null) => string
}

const FLOWS_BREAK = 'Flows with a data endpoint fail until then'

export const WORDING: Record<EventType, Wording> = {
  'endpoint.key_mismatch': {
    emoji: ':closed_lock_with_key:',
    title: 'Flow endpoint cannot decrypt',
    severity: 0,
    todo: (e) => {
      const kid = e?.data.kid ? ` ${code(e.data.kid)}` : ''
      return `The Flow endpoint answered \`421\` to a ping encrypted with the key WhatsApp holds for the number: customers opening the Flow get an error. Deploy the endpoint with the private key whose kid is${kid || ' the one shown'}, or, if the endpoint's key pair is the right one, re-upload its public key for this number through Kaleyra (Set Encryption Public Key).`
    },
  },
  'endpoint.failing': {
    emoji: ':rotating_light:',
    title: 'Flow endpoint probes failing',
    severity: 4,
    todo: (e) => {
      const outcome = e?.data.endpoint ? probeOutcome(e.data.endpoint.outcome) : null
      if (!e || !outcome)
        return "flowkey's pings to the Flow endpoint keep failing; WhatsApp's health checks likely fail too. Check the endpoint's logs and that it answers within 10 seconds."
      const why = e.data.error ? ` (${escapeText(e.data.error.message)})` : ''
      return `flowkey's pings to the Flow endpoint keep failing${why}; WhatsApp's health checks likely fail too. ${escapeText(adviceFor({ outcome, kid: e.data.kid ?? 'unknown', http_status: e.data.endpoint?.http_status ?? null, signed: true }))}`
    },
  },
  'endpoint.restored': {
    emoji: ':large_green_circle:',
    title: 'Flow endpoint healthy again',
    severity: 9,
    todo: (e) =>
      `Nothing: the Flow endpoint decrypts pings encrypted with the registered key${e?.data.kid ? ` (kid ${code(e.data.kid)})` : ''} and answers them again.`,
  },
  'key.signature_invalid': {
    emoji: ':warning:',
    title: 'Key signature not valid',
    severity: 1,
    todo: (e) =>
      `Meta reports the key's signature as ${code(e?.data.signature_status ?? 'not VALID')}. Re-upload the business public key through Kaleyra (Set Encryption Public Key) so it is signed again: ${FLOWS_BREAK}.`,
  },
  'key.removed': {
    emoji: ':no_entry:',
    title: 'Key removed',
    severity: 2,
    todo: () =>
      `Kaleyra holds no business encryption key for the number any more. Upload the public key of your Flow endpoint's key pair through Kaleyra (Set Encryption Public Key): ${FLOWS_BREAK}.`,
  },
  'key.rotated': {
    emoji: ':key:',
    title: 'Key rotated',
    severity: 3,
    todo: (e) =>
      `Make sure your Flow endpoint holds the private key matching the new kid${e ? ` ${code(shortKid(e.data.kid))}` : ''}: until it does, it cannot decrypt Flow requests.`,
  },
  'check.failing': {
    emoji: ':rotating_light:',
    title: 'Key checks failing',
    severity: 5,
    todo: (e) => {
      const why = e?.data.error ? ` (${code(e.data.error.code)}: ${escapeText(e.data.error.message)})` : ''
      const advice = e ? failureAdvice(e.data.error?.code ?? null, e.data.sid ? code(e.data.sid) : null) : "See each number's error in /v1/status"
      return `flowkey cannot read the key from Kaleyra${why}. ${advice}; the last good key is still served.`
    },
  },
  'key.first_seen': {
    emoji: ':eyes:',
    title: 'Key first seen',
    severity: 6,
    todo: (e) =>
      e
        ? `Nothing, if your Flow endpoint holds the private key for kid ${code(shortKid(e.data.kid))}; flowkey serves and watches it from now on.`
        : 'Nothing, if your Flow endpoints hold the private keys for these kids; flowkey serves and watches them from now on.',
  },
  'key.signature_restored': {
    emoji: ':white_check_mark:',
    title: 'Key signature valid again',
    severity: 7,
    todo: () => 'Nothing: the key is signed and `VALID` again.',
  },
  'check.recovered': {
    emoji: ':large_green_circle:',
    title: 'Key checks recovered',
    severity: 8,
    todo: () => 'Nothing: flowkey reads the key from Kaleyra again.',
  },
}

/** Enough of an RFC 7638 thumbprint to tell keys apart at a glance. */
export function shortKid(kid: string | null): string {
  return kid ? `${kid.slice(0, 10)}…` : 'none'
}

/** Slack reads `&`, `<` and `>` as markup in text (its "Formatting text" guide), so text from outside is escaped. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

export function code(text: string): string {
  return `\`${escapeText(text.replace(/`/g, "'"))}\``
}

/** Shown in each reader's own time zone, with the ISO time as the fallback. */
export function slackTime(iso: string): string {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return escapeText(iso)
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time_secs}|${iso}>`
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

function probeOutcome(text: string): ProbeOutcome | null {
  return (PROBE_OUTCOMES as readonly string[]).includes(text) ? (text as ProbeOutcome) : null
}
