/** @module The generic webhook: the INTERFACE.md body, signed per the Standard Webhooks specification with crypto.subtle. */
import type { Secret } from '../secret'

const SECRET_PREFIX = 'whsec_'
const encoder = new TextEncoder()

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

/** The HMAC key is the base64 after `whsec_` (a bare base64 secret is accepted too, as the reference libraries do). */
export async function importWebhookKey(secret: Secret): Promise<CryptoKey> {
  const text = secret.reveal()
  const encoded = text.startsWith(SECRET_PREFIX) ? text.slice(SECRET_PREFIX.length) : text
  let bytes: Uint8Array
  try {
    bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0))
  } catch {
    throw new TypeError('WEBHOOK_SECRET must look like whsec_<base64>')
  }
  if (bytes.length === 0) throw new TypeError('WEBHOOK_SECRET must not be empty')
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`: the signed content binds the id and time to the exact bytes sent. */
export async function signWebhook(key: CryptoKey, id: string, timestampS: number, body: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${id}.${timestampS}.${body}`))
  return `v1,${toBase64(new Uint8Array(mac))}`
}

/**
 * One attempt's request. `id` is the event's id on every attempt (receivers dedupe on it);
 * the timestamp is this attempt's real time, because receivers reject signatures older than a few minutes.
 */
export async function signedRequest(key: CryptoKey, id: string, payload: WebhookBody, realNowMs: number): Promise<SignedRequest> {
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

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}
