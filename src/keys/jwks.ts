/** @module JWKS documents (RFC 7517 §5), built once when keys change so that serving them is a lookup. */
import { base64url } from 'jose'
import type { PublicJwk } from './pem'

export interface JwksDocument {
  /** The JSON text served as is. */
  body: string
  /** Strong ETag, quoted. */
  etag: string
}

/** Kids identify the content exactly, so the ETag is derived from them without hashing the body. */
export async function buildJwks(keys: readonly PublicJwk[]): Promise<JwksDocument> {
  const sorted = [...keys].sort((a, b) => (a.kid < b.kid ? -1 : a.kid > b.kid ? 1 : 0))
  const body = JSON.stringify({ keys: sorted })
  const kids = sorted.map((k) => k.kid).join('.')
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(kids)))
  const tag = base64url.encode(digest.subarray(0, 12))
  return { body, etag: `"${sorted.length}-${tag}"` }
}

/** One number's JWKS: its kid is already a content hash, so it is the ETag. */
export function buildSingleJwks(key: PublicJwk): JwksDocument {
  return { body: JSON.stringify({ keys: [key] }), etag: `"${key.kid}"` }
}
