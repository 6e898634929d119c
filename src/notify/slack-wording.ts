/** @module What each event means to a person reading Slack: a title, an emoji, what to do, and Slack's text escaping. */
import type { EventType, FlowkeyEvent } from './events'
import { failureAdvice } from './failure-advice'

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
  'key.signature_invalid': {
    emoji: ':warning:', title: 'Key signature not valid', severity: 0,
    todo: (e) => `Meta reports the key's signature as ${code(e?.data.signature_status ?? 'not VALID')}. Re-upload the business public key through Kaleyra (Set Encryption Public Key) so it is signed again: ${FLOWS_BREAK}.`,
  },
  'key.removed': {
    emoji: ':no_entry:', title: 'Key removed', severity: 1,
    todo: () => `Kaleyra holds no business encryption key for the number any more. Upload the public key of your Flow endpoint's key pair through Kaleyra (Set Encryption Public Key): ${FLOWS_BREAK}.`,
  },
  'key.rotated': {
    emoji: ':key:', title: 'Key rotated', severity: 2,
    todo: (e) => `Make sure your Flow endpoint holds the private key matching the new kid${e ? ` ${code(shortKid(e.data.kid))}` : ''}: until it does, it cannot decrypt Flow requests.`,
  },
  'check.failing': {
    emoji: ':rotating_light:', title: 'Key checks failing', severity: 3,
    todo: (e) => {
      const why = e?.data.error ? ` (${code(e.data.error.code)}: ${escapeText(e.data.error.message)})` : ''
      const advice = e ? failureAdvice(e.data.error?.code ?? null, e.data.sid ? code(e.data.sid) : null) : 'See each number\'s error in /v1/status'
      return `flowkey cannot read the key from Kaleyra${why}. ${advice}; the last good key is still served.`
    },
  },
  'key.first_seen': {
    emoji: ':eyes:', title: 'Key first seen', severity: 4,
    todo: (e) => e
      ? `Nothing, if your Flow endpoint holds the private key for kid ${code(shortKid(e.data.kid))}; flowkey serves and watches it from now on.`
      : 'Nothing, if your Flow endpoints hold the private keys for these kids; flowkey serves and watches them from now on.',
  },
  'key.signature_restored': {
    emoji: ':white_check_mark:', title: 'Key signature valid again', severity: 5,
    todo: () => 'Nothing: the key is signed and `VALID` again.',
  },
  'check.recovered': {
    emoji: ':large_green_circle:', title: 'Key checks recovered', severity: 6,
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
