/** @module PEM to JWK, kid (RFC 7638) and spki_sha256, for keys as loosely formatted as Kaleyra sends them. */
import { CompactEncrypt, compactDecrypt, exportSPKI, generateKeyPair, importJWK } from 'jose'
import { describe, expect, it } from 'vitest'
import { FlowkeyError } from '../../src/errors'
import { buildJwks, buildSingleJwks } from '../../src/keys/jwks'
import { normalizePem, pemToBusinessKey } from '../../src/keys/pem'
import { makeKey } from '../support/keys'

// RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint.
const RFC7638_JWK = {
  kty: 'RSA',
  n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
  e: 'AQAB',
}
const RFC7638_THUMBPRINT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'

async function rfcPem(): Promise<string> {
  return exportSPKI((await importJWK(RFC7638_JWK, 'RSA-OAEP-256', { extractable: true })) as CryptoKey)
}

const base64Of = (pem: string): string => pem.replace(/-----[A-Z ]+-----|\s/g, '')

describe('RFC 7638 §3.1 JWK thumbprint', () => {
  it('gives the example key the thumbprint the RFC states', async () => {
    const key = await pemToBusinessKey(await rfcPem())
    expect(key.kid).toBe(RFC7638_THUMBPRINT)
    expect(key.jwk).toEqual({ ...RFC7638_JWK, alg: 'RSA-OAEP-256', use: 'enc', kid: RFC7638_THUMBPRINT })
    expect(key.bits).toBe(2048)
  })
})

describe('spki_sha256', () => {
  it('is base64 of SHA-256 over the DER SubjectPublicKeyInfo', async () => {
    const pem = await rfcPem()
    const der = Uint8Array.from(atob(base64Of(pem)), (c) => c.charCodeAt(0))
    const expected = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-256', der))))
    expect((await pemToBusinessKey(pem)).spki_sha256).toBe(expected)
  })
})

describe('PEM as Kaleyra sends it', () => {
  it('reads one-line base64, CRLF, escaped newlines and surrounding white space as the same key', async () => {
    const { pem } = await makeKey()
    const b64 = base64Of(pem)
    const variants = [
      pem,
      `-----BEGIN PUBLIC KEY-----\n${b64}\n-----END PUBLIC KEY-----`,
      pem.replace(/\n/g, '\r\n'),
      `  \n\t${pem}\n\n  `,
      pem.replace(/\n/g, '\\n'),
    ]
    const kids = await Promise.all(variants.map(async (v) => (await pemToBusinessKey(v)).kid))
    expect(new Set(kids).size).toBe(1)
    expect(normalizePem(variants[1]).pem).toBe(normalizePem(pem).pem)
    expect(normalizePem(variants[1]).pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n([A-Za-z0-9+/=]{64}\n)+[A-Za-z0-9+/=]{1,64}\n-----END PUBLIC KEY-----\n$/)
  })
})

describe('what is refused, and why', () => {
  const refusal = async (pem: string): Promise<string> => {
    try {
      await pemToBusinessKey(pem)
    } catch (err) {
      expect(err).toBeInstanceOf(FlowkeyError)
      expect((err as FlowkeyError).code).toBe('invalid_key')
      return (err as Error).message
    }
    throw new Error('accepted')
  }

  it('refuses an RSA key shorter than 2048 bits', async () => {
    const { pem } = await makeKey(1024)
    expect(await refusal(pem)).toMatch(/1024-bit RSA key; at least 2048/)
  })
  it('refuses an EC key', async () => {
    const { publicKey } = await generateKeyPair('ES256', { extractable: true })
    expect(await refusal(await exportSPKI(publicKey))).toMatch(/not an RSA public key/)
  })
  it('refuses text that is not PEM, a private key block, and broken base64', async () => {
    expect(await refusal('hello')).toMatch(/not a PEM block/)
    expect(await refusal('-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----')).toMatch(/"RSA PRIVATE KEY" block/)
    expect(await refusal('-----BEGIN PUBLIC KEY-----\n%%%%\n-----END PUBLIC KEY-----')).toMatch(/invalid base64|not an RSA/)
  })
})

describe('JWKS documents', () => {
  it('sorts keys by kid and changes the ETag only when the keys change', async () => {
    const a = await pemToBusinessKey((await makeKey()).pem)
    const b = await pemToBusinessKey((await makeKey()).pem)
    const one = await buildJwks([a.jwk, b.jwk])
    const two = await buildJwks([b.jwk, a.jwk])
    expect(one).toEqual(two)
    expect((await buildJwks([a.jwk])).etag).not.toBe(one.etag)
    expect(buildSingleJwks(a.jwk)).toEqual({ body: JSON.stringify({ keys: [a.jwk] }), etag: `"${a.kid}"` })
  })

  it('serves a key WhatsApp can use: RSA-OAEP-256 wraps a 16-byte AES key the private key unwraps', async () => {
    const key = await makeKey()
    const served = JSON.parse(buildSingleJwks((await pemToBusinessKey(key.pem)).jwk).body) as { keys: Record<string, string>[] }
    // jose's JWKS helpers take signature keys only, so the key is imported on its own.
    const publicKey = await importJWK(served.keys[0], 'RSA-OAEP-256')
    const aesKey = crypto.getRandomValues(new Uint8Array(16))
    const wrapped = await crypto.subtle.encrypt({ name: 'RSA-OAEP' }, publicKey as CryptoKey, aesKey)
    const unwrapped = new Uint8Array(await crypto.subtle.decrypt({ name: 'RSA-OAEP' }, key.privateKey as CryptoKey, wrapped))
    expect(unwrapped).toEqual(aesKey)
    // And through JWE, as a Flow endpoint library would.
    const jwe = await new CompactEncrypt(new TextEncoder().encode('flow')).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A128GCM' }).encrypt(publicKey)
    expect(new TextDecoder().decode((await compactDecrypt(jwe, key.privateKey)).plaintext)).toBe('flow')
  })
})
