/** @module What each problem means in a sentence, and what to do about it: the words of the status pages (pure). */
import { channelLabel, channelSetting } from '../../notify/routing'
import { errorInWords, failureAdvice, failureRow } from '../../sources/failures'
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

export function adviceFor(reason: AttentionReason, n: NumberView): Advice {
  const failures = `${n.consecutive_failures} check${n.consecutive_failures === 1 ? '' : 's'} in a row`
  switch (reason) {
    case 'check_outage':
      return {
        label: 'Check failing',
        what: `The last ${failures} failed: ${errorInWords(n.error_code)}. flowkey keeps serving the last good key.`,
        todo: todoFor(n, 'Check the source’s status and the account settings; flowkey retries on every run.'),
      }
    case 'check_failing':
      return {
        label: 'Last check failed',
        what: `The last check failed: ${errorInWords(n.error_code)}. flowkey keeps serving the last good key.`,
        todo: todoFor(n, 'Nothing yet if it passes on the next run; if it keeps failing, check the source’s status.'),
      }
    case 'signature_invalid':
      return {
        label: 'Signature not valid',
        what: `WhatsApp reports the key’s signature as ${signatureInWords(n.signature_status)}, so Flows using this number may fail to open.`,
        todo: 'Upload and sign the business public key again through Kaleyra (Set Encryption Public Key).',
      }
    case 'key_removed':
      return {
        label: 'Key removed',
        what: 'Kaleyra no longer holds a business public key for this number.',
        todo: 'Upload the business public key again; flowkey still serves the last one it saw.',
      }
    case 'no_key':
      return {
        label: 'No key yet',
        what: 'Kaleyra has no business public key for this number yet, so there is nothing to serve.',
        todo: 'Upload a business public key for the number through Kaleyra.',
      }
    case 'endpoint_mismatch':
      return {
        label: 'Endpoint key mismatch',
        what: 'The Flow endpoint cannot decrypt what WhatsApp encrypts with the registered key (it answered 421).',
        todo: 'Deploy the private key that belongs to the registered public key on the endpoint, or register the endpoint’s key.',
      }
    case 'endpoint_failing':
      return {
        label: 'Endpoint failing',
        what: `The Flow endpoint’s health check keeps failing (${n.endpoint?.outcome?.replace(/_/g, ' ') ?? 'no answer'}${n.endpoint?.http_status ? `, HTTP ${n.endpoint.http_status}` : ''}).`,
        todo: 'Check that the endpoint is up and answers WhatsApp’s ping; see meta-flows-endpoint-probe in the docs.',
      }
  }
}

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

export function channelAdvice(ch: ChannelHealthView, failing: boolean): Advice | null {
  if (failing) {
    return {
      label: `${channelTitle(ch.name)} failing`,
      what: `${channelTitle(ch.name)} notifications are failing${ch.pending ? `: ${ch.pending} event${ch.pending === 1 ? '' : 's'} waiting` : ''}.`,
      todo: `Check the receiver and ${channelSettings(ch.name)}; waiting events are retried, and POST /v1/notify/test tries the channel now.`,
    }
  }
  if (ch.dead_letters_recent > 0) {
    return {
      label: `${channelTitle(ch.name)} gave up`,
      what: `${ch.dead_letters_recent} ${channelTitle(ch.name)} notification${ch.dead_letters_recent === 1 ? ' was' : 's were'} given up in the last day.`,
      todo: 'See /v1/status for what was lost, and fix the receiver before the next change.',
    }
  }
  return null
}
