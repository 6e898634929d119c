/** @module What each problem means in a sentence, and what to do about it: the words of the status pages (pure). */
import { channelLabel, channelSetting } from '../../notify/routing'
import { errorInWords, failureAdvice, failureRow } from '../../sources/failures'
import { REASON_WORDS } from '../../rules/attention'
import type { AttentionReason, ChannelHealthView, NumberView } from './fleet'

export { errorInWords }

export interface Advice {
  /** Short label shown beside the colour, so colour never carries the meaning alone. */
  label: string
  what: string
  todo: string
}

/** WhatsApp's statuses are short upper-case words; anything else (an echoed secret, a 250 KB string) is not repeated on a public page. */
export function signatureInWords(status: string | null): string {
  if (status === null) return 'unknown'
  return /^[A-Z_]{1,32}$/.test(status) ? status : 'an unexpected value'
}

/** The reason's own words (REASON_WORDS), as a label. */
export function reasonLabel(reason: AttentionReason): string {
  const words = REASON_WORDS[reason]
  return words.charAt(0).toUpperCase() + words.slice(1)
}

export function adviceFor(reason: AttentionReason, n: NumberView): Advice {
  const label = reasonLabel(reason)
  switch (reason) {
    case 'check_failing':
      return {
        label,
        what: `The last ${checks(n.consecutive_failures)} failed: ${errorInWords(n.error_code)}. flowkey keeps serving the last good key.`,
        todo: todoFor(n, 'Check the source’s status and the account settings; flowkey retries on every run.'),
      }
    case 'signature_invalid':
      return {
        label,
        what: `WhatsApp reports the key’s signature as ${signatureInWords(n.signature_status)}, so Flows using this number may fail to open.`,
        todo: 'Upload and sign the business public key again through Kaleyra (Set Encryption Public Key).',
      }
    case 'key_removed':
      return {
        label,
        what: 'Kaleyra no longer holds a business public key for this number.',
        todo: 'Upload the business public key again; flowkey still serves the last one it saw.',
      }
    case 'no_key':
      return {
        label,
        what: 'Kaleyra has no business public key for this number yet, so there is nothing to serve.',
        todo: 'Upload a business public key for the number through Kaleyra.',
      }
    case 'endpoint_key_mismatch':
      return {
        label,
        what: 'The Flow endpoint cannot decrypt what WhatsApp encrypts with the registered key (it answered 421).',
        todo: 'Deploy the private key that belongs to the registered public key on the endpoint, or register the endpoint’s key.',
      }
    case 'endpoint_failing':
      return {
        label,
        what: `The Flow endpoint’s last ${probes(n.endpoint?.consecutive_failures ?? 0)} failed (${n.endpoint?.outcome?.replace(/_/g, ' ') ?? 'no answer'}${n.endpoint?.http_status ? `, HTTP ${n.endpoint.http_status}` : ''}).`,
        todo: 'Check that the endpoint is up and answers WhatsApp’s ping; see meta-flows-endpoint-probe in the docs.',
      }
  }
}

/**
 * A failure under its alert threshold (FAILING_AFTER): shown beside the number, never counted as needing attention,
 * so a single blip neither turns the page red nor says "keeps failing".
 */
export function belowThreshold(n: NumberView): string | null {
  if (n.attention.includes('check_failing') || n.attention.includes('endpoint_failing')) return null
  if (n.outcome === 'error' && !n.failing)
    return `The last ${checks(n.consecutive_failures)} failed (${errorInWords(n.error_code)}); flowkey alerts once FAILING_AFTER fail in a row.`
  const probe = n.endpoint
  if (probe && probe.outcome !== null && probe.outcome !== 'ok' && probe.outcome !== 'key_mismatch' && probe.consecutive_failures > 0) {
    return `The last ${probes(probe.consecutive_failures)} of the Flow endpoint failed (${probe.outcome.replace(/_/g, ' ')}); flowkey alerts once FAILING_AFTER fail in a row.`
  }
  return null
}

const checks = (count: number): string => (count === 1 ? 'check' : `${count} checks`)
const probes = (count: number): string => (count === 1 ? 'probe' : `${count} probes`)

/** What the failure table says to do, unless the failure is one that retrying alone may mend. */
function todoFor(n: NumberView, otherwise: string): string {
  const row = failureRow(n.error_code)
  return row && !row.retry ? `${failureAdvice(n.error_code, null)}.` : otherwise
}

/** The variables that configure a channel: `WEBHOOK_URL and WEBHOOK_SECRET`, `SLACK_WEBHOOK_URL_ACME`. */
function channelSettings(name: ChannelHealthView['name']): string {
  const setting = channelSetting(name)
  return name.startsWith('webhook') ? `${setting} and ${setting.replace('WEBHOOK_URL', 'WEBHOOK_SECRET')}` : setting
}

/** `Webhook`, `Slack`, and a label's `Slack (acme)`. */
export function channelTitle(name: ChannelHealthView['name']): string {
  const label = channelLabel(name)
  const kind = name.startsWith('webhook') ? 'Webhook' : 'Slack'
  return label === null ? kind : `${kind} (${label})`
}

/** What to do about a channel the ledger says needs attention; null when it does not. */
export function channelAdvice(ch: ChannelHealthView): Advice | null {
  if (ch.attention.includes('delivery_failing')) {
    return {
      label: `${channelTitle(ch.name)} failing`,
      what: `${channelTitle(ch.name)} notifications are failing${ch.pending ? `: ${ch.pending} event${ch.pending === 1 ? '' : 's'} waiting` : ''}.`,
      todo: `Check the receiver and ${channelSettings(ch.name)}; waiting events are retried, and POST /v1/notify/test tries the channel now.`,
    }
  }
  if (ch.attention.includes('gave_up')) {
    return {
      label: `${channelTitle(ch.name)} gave up`,
      what: `${ch.dead_letters_recent} ${channelTitle(ch.name)} notification${ch.dead_letters_recent === 1 ? ' was' : 's were'} given up in the last day.`,
      todo: 'See /v1/status for what was lost, and fix the receiver before the next change.',
    }
  }
  return null
}
