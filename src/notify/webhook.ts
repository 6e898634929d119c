/**
 * @module The generic webhook: the INTERFACE.md body, signed per the Standard Webhooks specification with WebCrypto's
 * HMAC (the official library is what the tests verify with; bundling it and its SHA-256 in JS cost 4 KiB gzip).
 */
import { fromBase64, toBase64 } from '../encoding'
import type { Secret } from '../secret'

/** What flowkey sends for every event (and for `ping`): fields that do not apply are null. */
export interface WebhookBody {
  type: string
  timestamp: string
  data: object
}

export interface SignedRequest {
  headers: Record<string, string>
  body: string
}

/** The imported HMAC key of a webhook secret. */
export interface WebhookSigner {
  readonly hmac: CryptoKey
}

const WHSEC_PREFIX = 'whsec_'

/** The HMAC key is the base64 after `whsec_` (a bare base64 secret is accepted too, as the reference libraries do). */
export async function importWebhookKey(secret: Secret): Promise<WebhookSigner> {
  const text = secret.reveal()
  const encoded = text.startsWith(WHSEC_PREFIX) ? text.slice(WHSEC_PREFIX.length) : text
  if (encoded === '') throw new TypeError('WEBHOOK_SECRET must not be empty')
  let raw: Uint8Array
  try {
    raw = fromBase64(encoded)
  } catch (err) {
    throw new TypeError('WEBHOOK_SECRET must look like whsec_<base64>', { cause: err })
  }
  return { hmac: await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']) }
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`: the signed content binds the id and time to the exact bytes sent. */
export async function signWebhook(key: WebhookSigner, id: string, timestampS: number, body: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', key.hmac, new TextEncoder().encode(`${id}.${timestampS}.${body}`))
  return `v1,${toBase64(new Uint8Array(mac))}`
}

/**
 * One attempt's request. `id` is the event's id on every attempt (receivers dedupe on it);
 * the timestamp is this attempt's real time, because receivers reject signatures older than a few minutes.
 */
export async function signedRequest(key: WebhookSigner, id: string, payload: WebhookBody, realNowMs: number): Promise<SignedRequest> {
  const body = JSON.stringify(payload)
  const timestamp = Math.floor(realNowMs / 1000)
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'flowkey',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': await signWebhook(key, id, timestamp, body),
    },
  }
}
