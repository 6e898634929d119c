/** @module Business public keys as Kaleyra sends them (SPKI PEM, loosely formatted) to JWK, kid and fingerprint. */
import { base64url, calculateJwkThumbprint, exportJWK, importSPKI } from 'jose'
import { FlowkeyError } from '../errors'
import { MAX_IMPORT_RSA_BITS, rsaModulusBits } from './spki'

/** WhatsApp Flows encrypts the AES key with RSA-OAEP and SHA-256. */
export const KEY_ALG = 'RSA-OAEP-256'
export const MIN_RSA_BITS = 2048
/** An RSA-16384 SPKI PEM is under 3 KB: anything past this is refused before any parsing. */
export const MAX_PEM_CHARS = 8 * 1024
const MAX_LABEL_CHARS = 64
const BEGIN = '-----BEGIN '
const DASHES = '-----'

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

/**
 * Accepts base64 on one line, `\r\n`, literal `\n` escapes and surrounding white space.
 * Read with indexOf, not a regular expression: a back-referencing PEM pattern is
 * quadratic on text such as `-----BEGIN A-` repeated.
 */
export function normalizePem(input: string): { pem: string; der: Uint8Array } {
  if (input.length > MAX_PEM_CHARS) {
    throw new FlowkeyError('invalid_key', `business_public_key is ${input.length} characters; a public key PEM is at most ${MAX_PEM_CHARS}, so it was not read`)
  }
  const text = input.replace(/\\r/g, '\r').replace(/\\n/g, '\n').trim()
  const block = findPemBlock(text)
  if (!block) throw new FlowkeyError('invalid_key', 'business_public_key is not a PEM block')
  if (block.label !== 'PUBLIC KEY') {
    throw new FlowkeyError('invalid_key', `business_public_key is a "${block.label}" block; expected "PUBLIC KEY" (SPKI)`)
  }
  const base64 = block.body.replace(/\s+/g, '')
  if (!base64) throw new FlowkeyError('invalid_key', 'business_public_key is an empty PEM block')
  let der: Uint8Array
  try {
    der = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
  } catch {
    throw new FlowkeyError('invalid_key', 'business_public_key holds invalid base64')
  }
  const lines = base64.match(/.{1,64}/g) ?? []
  return { pem: `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`, der }
}

/** The first `-----BEGIN X-----` and its matching `-----END X-----`; each indexOf moves forward, so the cost is linear. */
function findPemBlock(text: string): { label: string; body: string } | null {
  const begin = text.indexOf(BEGIN)
  if (begin === -1) return null
  const labelStart = begin + BEGIN.length
  const labelEnd = text.indexOf(DASHES, labelStart)
  if (labelEnd === -1 || labelEnd - labelStart > MAX_LABEL_CHARS) return null
  const label = text.slice(labelStart, labelEnd)
  if (!isLabel(label)) return null
  const bodyStart = labelEnd + DASHES.length
  const end = text.indexOf(`-----END ${label}${DASHES}`, bodyStart)
  if (end === -1) return null
  return { label, body: text.slice(bodyStart, end) }
}

function isLabel(label: string): boolean {
  if (!label) return false
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i)
    if (!(c === 32 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return false
  }
  return true
}

/** Rejects anything but an RSA public key of at least 2048 bits, with the reason. */
export async function pemToBusinessKey(input: string): Promise<BusinessKey> {
  const { pem, der } = normalizePem(input)
  let exported: { kty?: string; n?: string; e?: string }
  try {
    const key = await importSPKI(pem, KEY_ALG, { extractable: true })
    exported = await exportJWK(key)
  } catch (cause) {
    throw new FlowkeyError('invalid_key', unimportable(der, cause), { cause })
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

/** Why the runtime refused the key, read from the DER itself: an RSA key too large to import is not "not RSA". */
function unimportable(der: Uint8Array, cause: unknown): string {
  const bits = rsaModulusBits(der)
  if (bits === null) return 'business_public_key is not an RSA public key'
  if (bits > MAX_IMPORT_RSA_BITS) {
    return `business_public_key is a ${bits}-bit RSA key, which the Workers runtime cannot import (it takes RSA keys of up to ${MAX_IMPORT_RSA_BITS} bits); WhatsApp Flows uses 2048-bit keys`
  }
  const reason = cause instanceof Error ? cause.message.slice(0, 80) : 'unknown reason'
  return `business_public_key is a ${bits}-bit RSA key that the Workers runtime could not import (${reason})`
}

function modulusBits(n: string): number {
  const bytes = base64url.decode(n)
  let leading = 0
  // Leading zero bits of the first byte do not count towards the key size.
  for (let i = 0; i < bytes.length && bytes[i] === 0; i++) leading += 8
  const first = bytes[leading / 8] ?? 0
  return bytes.length * 8 - leading - (first ? Math.clz32(first) - 24 : 0)
}
