/** @module X-Hub-Signature-256, as WhatsApp signs every request to a Flow endpoint: HMAC-SHA256 of the exact body bytes, keyed with the Meta app secret. */
import { toHex } from '../encoding'
import type { Secret } from '../secret'

export const HUB_SIGNATURE_HEADER = 'x-hub-signature-256'

/** `sha256=<lowercase hex>`; `body` must be the very string that is sent. */
export async function hubSignature(appSecret: Secret, body: string): Promise<string> {
  const encoder = new TextEncoder()
  const key = await crypto.subtle.importKey('raw', encoder.encode(appSecret.reveal()), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(body))
  return `sha256=${toHex(new Uint8Array(mac))}`
}
