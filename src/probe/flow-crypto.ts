/** @module The Flow data endpoint protocol's cryptography, with crypto.subtle only: RSA-OAEP-256 key wrap, AES-128-GCM with a 16-byte IV, the inverted IV of the answer. */
import { normalizePem } from '../keys/pem'
import { fromBase64, toBase64 } from '../encoding'

export const AES_KEY_BYTES = 16
/** WhatsApp uses 16 bytes, not GCM's usual 12; WebCrypto accepts any length. */
export const IV_BYTES = 16
export const TAG_BITS = 128
/** The health check, byte for byte as WhatsApp sends it: nothing else (no flow_token, no screen). */
export const PING_PLAINTEXT = '{"version":"3.0","action":"ping"}'

/** The public members of an RSA JWK, as flowkey stores them; other members (alg, use, kid) are ignored here. */
export interface RsaPublicJwk {
  kty: string
  n: string
  e: string
  kid?: string
}

export type RandomBytes = (length: number) => Uint8Array

export const cryptoRandomBytes: RandomBytes = (length) => crypto.getRandomValues(new Uint8Array(length))

export interface EncryptedPing {
  /** The JSON body, serialised once: the signature is over exactly these bytes. */
  body: string
  aesKey: CryptoKey
  iv: Uint8Array
}

/** A JWK `{kty:"RSA",n,e,...}` or an SPKI PEM, as an RSA-OAEP SHA-256 encryption key. */
export async function importBusinessPublicKey(key: RsaPublicJwk | string): Promise<CryptoKey> {
  const algorithm = { name: 'RSA-OAEP', hash: 'SHA-256' }
  if (typeof key === 'string') {
    const { der } = normalizePem(key)
    return crypto.subtle.importKey('spki', der, algorithm, false, ['encrypt'])
  }
  if (key.kty !== 'RSA' || typeof key.n !== 'string' || typeof key.e !== 'string') throw new TypeError('the business public key must be an RSA JWK')
  return crypto.subtle.importKey('jwk', { kty: 'RSA', n: key.n, e: key.e, ext: true }, algorithm, false, ['encrypt'])
}

/** A fresh AES key and IV, the ping encrypted with them, and the AES key wrapped for the business key. */
export async function encryptPing(publicKey: CryptoKey, randomBytes: RandomBytes = cryptoRandomBytes): Promise<EncryptedPing> {
  const rawKey = randomBytes(AES_KEY_BYTES)
  const iv = randomBytes(IV_BYTES)
  if (rawKey.length !== AES_KEY_BYTES || iv.length !== IV_BYTES) throw new TypeError('randomBytes returned the wrong length')
  const aesKey = await crypto.subtle.importKey('raw', rawKey, 'AES-GCM', false, ['encrypt', 'decrypt'])
  const [data, wrapped] = await Promise.all([
    // WebCrypto appends the 16-byte tag to the ciphertext, which is the layout the protocol uses.
    crypto.subtle.encrypt({ name: 'AES-GCM', iv, tagLength: TAG_BITS }, aesKey, new TextEncoder().encode(PING_PLAINTEXT)),
    crypto.subtle.encrypt({ name: 'RSA-OAEP' }, publicKey, rawKey),
  ])
  const body = JSON.stringify({
    encrypted_flow_data: toBase64(new Uint8Array(data)),
    encrypted_aes_key: toBase64(new Uint8Array(wrapped)),
    initial_vector: toBase64(iv),
  })
  return { body, aesKey, iv }
}

/** The answer's IV: every bit of the request's IV inverted. */
export function invertIv(iv: Uint8Array): Uint8Array {
  return iv.map((byte) => byte ^ 0xff)
}

/**
 * The answer's plaintext, or null when it is not base64 or does not decrypt with
 * this AES key and the inverted IV. Tolerates surrounding white space and JSON quotes.
 */
export async function decryptAnswer(text: string, aesKey: CryptoKey, iv: Uint8Array): Promise<string | null> {
  const trimmed = unquote(text.trim()).trim()
  let bytes: Uint8Array
  try {
    bytes = fromBase64(trimmed)
  } catch {
    return null
  }
  if (bytes.length < TAG_BITS / 8) return null
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: invertIv(iv), tagLength: TAG_BITS }, aesKey, bytes)
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(plain)
  } catch {
    return null
  }
}

/** A JSON string literal (`"…"`, perhaps with `\/` escapes) gives its content; anything else is kept as is. */
function unquote(text: string): string {
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return text
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'string' ? value : text
  } catch {
    return text.slice(1, -1)
  }
}
