/** @module Business public keys as Kaleyra sends them (SPKI PEM, loosely formatted) to JWK, kid and fingerprint. */
import { base64url, calculateJwkThumbprint, exportJWK, importSPKI } from 'jose'
import { FlowkeyError } from '../errors'

/** WhatsApp Flows encrypts the AES key with RSA-OAEP and SHA-256. */
export const KEY_ALG = 'RSA-OAEP-256'
export const MIN_RSA_BITS = 2048

/** The public parts of an RSA key, as served: the members RFC 7517 names, in a stable order. */
export interface PublicJwk {
  kty: 'RSA'
  n: string
  e: string
  alg: typeof KEY_ALG
  use: 'enc'
  kid: string
}

export interface BusinessKey {
  /** RFC 7638 SHA-256 thumbprint, base64url. */
  kid: string
  jwk: PublicJwk
  /** Canonical PEM: 64-column lines, `\n`, trailing newline. */
  pem: string
  /** base64 of SHA-256 over the DER SubjectPublicKeyInfo. */
  spki_sha256: string
  bits: number
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/

/** Accepts base64 on one line, `\r\n`, literal `\n` escapes and surrounding white space. */
export function normalizePem(input: string): { pem: string; der: Uint8Array } {
  const text = input.replace(/\\r/g, '\r').replace(/\\n/g, '\n').trim()
  const block = PEM_BLOCK.exec(text)
  if (!block) throw new FlowkeyError('invalid_key', 'business_public_key is not a PEM block')
  if (block[1] !== 'PUBLIC KEY') {
    throw new FlowkeyError('invalid_key', `business_public_key is a "${block[1]}" block; expected "PUBLIC KEY" (SPKI)`)
  }
  const base64 = block[2].replace(/\s+/g, '')
  let der: Uint8Array
  try {
    der = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
  } catch {
    throw new FlowkeyError('invalid_key', 'business_public_key holds invalid base64')
  }
  const lines = base64.match(/.{1,64}/g) ?? []
  return { pem: `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`, der }
}

/** Rejects anything but an RSA public key of at least 2048 bits, with the reason. */
export async function pemToBusinessKey(input: string): Promise<BusinessKey> {
  const { pem, der } = normalizePem(input)
  let exported: { kty?: string; n?: string; e?: string }
  try {
    const key = await importSPKI(pem, KEY_ALG, { extractable: true })
    exported = await exportJWK(key)
  } catch (cause) {
    throw new FlowkeyError('invalid_key', 'business_public_key is not an RSA public key', { cause })
  }
  if (exported.kty !== 'RSA' || !exported.n || !exported.e) {
    throw new FlowkeyError('invalid_key', 'business_public_key is not an RSA public key')
  }
  const bits = modulusBits(exported.n)
  if (bits < MIN_RSA_BITS) {
    throw new FlowkeyError('invalid_key', `business_public_key is a ${bits}-bit RSA key; at least ${MIN_RSA_BITS} bits are required`)
  }
  const kid = await calculateJwkThumbprint({ kty: 'RSA', n: exported.n, e: exported.e }, 'sha256')
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der))
  return {
    kid,
    jwk: { kty: 'RSA', n: exported.n, e: exported.e, alg: KEY_ALG, use: 'enc', kid },
    pem,
    spki_sha256: btoa(String.fromCharCode(...digest)),
    bits,
  }
}

function modulusBits(n: string): number {
  const bytes = base64url.decode(n)
  let leading = 0
  // Leading zero bits of the first byte do not count towards the key size.
  for (let i = 0; i < bytes.length && bytes[i] === 0; i++) leading += 8
  const first = bytes[leading / 8] ?? 0
  return bytes.length * 8 - leading - (first ? Math.clz32(first) - 24 : 0)
}
