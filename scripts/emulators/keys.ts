/** @module RSA public keys for the emulators and the PEM spellings Kaleyra has been seen to send them in. */
import { generateKeyPair } from 'node:crypto'

/**
 * How a PEM is laid out in a WA-200 body. The documented sample puts the whole
 * base64 on one line; the others are what a parser must also survive.
 */
export type PemStyle = 'lines' | 'one-line' | 'crlf' | 'padded'
export const PEM_STYLES: readonly PemStyle[] = ['lines', 'one-line', 'crlf', 'padded']

/** Small, because RSA generation costs tens of milliseconds and a 1,000-number fleet only needs distinct-enough keys. */
export const KEY_POOL_SIZE = 8

const PEM_BODY = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----/
const PEM_LINE_CHARS = 64

/** A fresh RSA-2048 SubjectPublicKeyInfo PEM; async so generating many does not stall the server. */
export function generateSpkiPem(): Promise<string> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey) => {
      if (err) reject(err)
      else resolve(publicKey.export({ type: 'spki', format: 'pem' }).toString())
    })
  })
}

let pool: Promise<readonly string[]> | undefined

/** Generated once per process and shared by every emulator instance, so fleets register instantly after the first. */
export function keyPool(): Promise<readonly string[]> {
  pool ??= Promise.all(Array.from({ length: KEY_POOL_SIZE }, generateSpkiPem))
  return pool
}

/** The PEM's base64 with all whitespace removed, or null when the text is not a public-key PEM. */
export function pemBase64(pem: string): string | null {
  const match = PEM_BODY.exec(pem)
  return match?.[1] === undefined ? null : match[1].replace(/\s+/g, '')
}

/**
 * Re-lays a PEM in the given style. Text that is not a PEM is returned as is:
 * Kaleyra's Set API stores whatever it is given, so a test may register any text as a key.
 */
export function stylePem(pem: string, style: PemStyle): string {
  const base64 = pemBase64(pem)
  if (base64 === null) return pem
  const lines = base64.match(new RegExp(`.{1,${PEM_LINE_CHARS}}`, 'g')) ?? []
  const wrapped = (eol: string): string => ['-----BEGIN PUBLIC KEY-----', ...lines, '-----END PUBLIC KEY-----', ''].join(eol)
  switch (style) {
    case 'lines':
      return wrapped('\n')
    case 'crlf':
      return wrapped('\r\n')
    case 'one-line':
      return `-----BEGIN PUBLIC KEY-----\n${base64}\n-----END PUBLIC KEY-----`
    case 'padded':
      return `  \n\n${wrapped('\n')}\n  \t`
  }
}

export function isPemStyle(value: unknown): value is PemStyle {
  return typeof value === 'string' && (PEM_STYLES as readonly string[]).includes(value)
}
