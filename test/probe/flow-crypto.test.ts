/** @module Known answers for the Flow protocol's cryptography, computed independently with node:crypto (AES-128-GCM, 16-byte IV, tag appended) and HMAC-SHA256. */
import { describe, expect, it } from 'vitest'
import { toBase64 } from '../../src/encoding'
import { decryptAnswer, encryptPing, importBusinessPublicKey, invertIv, PING_PLAINTEXT } from '../../src/probe/flow-crypto'
import { hubSignature } from '../../src/probe/hub-signature'
import { Secret } from '../../src/secret'
import { exportJWK, makeKey } from '../support/keys'

// Vectors made with node:crypto outside flowkey: key 00..0f, IV a0..af.
const KEY = Uint8Array.from({ length: 16 }, (_, i) => i)
const IV = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i)
const PING_SEALED = 'RXsgKMV2vzp9Rg/3Nn9QNv1AIVWqxNBHbiobq+p97njG/oEBr518kbftZkNYkqEcIg=='
/** `{"version":"3.0","data":{"status":"active"}}` sealed with the inverted IV, as Meta's example endpoint answers. */
const ANSWER_SEALED = 'FusWyBFh9lWr49r9xojrfjBRJbIEFQni3fx4tMYIwDm1MRK6iGyL1b6AY4doyqT1w7bcvQfDqs25J9yk'
const ANSWER_PLAIN = '{"version":"3.0","data":{"status":"active"}}'

/** The first call gives the AES key, the second the IV, as encryptPing draws them. */
function fixedRandom(): (length: number) => Uint8Array {
  const draws = [KEY, IV]
  return (length) => {
    const next = draws.shift()
    if (!next || next.length !== length) throw new Error(`unexpected draw of ${length} bytes`)
    return next
  }
}

async function aesKey(): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', KEY, 'AES-GCM', false, ['decrypt'])
}

describe('the ping', () => {
  it('is AES-128-GCM of the ping plaintext with the 16-byte IV and the tag appended, byte for byte', async () => {
    const { publicKey } = await makeKey()
    const ping = await encryptPing(await importBusinessPublicKey((await exportJWK(publicKey)) as { kty: string; n: string; e: string }), fixedRandom())
    const body = JSON.parse(ping.body) as Record<string, string>
    expect(Object.keys(body).sort()).toEqual(['encrypted_aes_key', 'encrypted_flow_data', 'initial_vector'])
    expect(body.encrypted_flow_data).toBe(PING_SEALED)
    expect(body.initial_vector).toBe(toBase64(IV))
    expect(PING_PLAINTEXT).toBe('{"version":"3.0","action":"ping"}')
  })

  it('wraps the AES key with RSA-OAEP SHA-256 for the business key, so its private key recovers it', async () => {
    const { publicKey, privateKey, pem } = await makeKey()
    for (const key of [(await exportJWK(publicKey)) as { kty: string; n: string; e: string }, pem]) {
      const ping = await encryptPing(await importBusinessPublicKey(key), fixedRandom())
      const wrapped = Uint8Array.from(atob((JSON.parse(ping.body) as Record<string, string>).encrypted_aes_key), (c) => c.charCodeAt(0))
      expect(wrapped.length).toBe(256)
      const raw = new Uint8Array(await crypto.subtle.decrypt({ name: 'RSA-OAEP' }, privateKey, wrapped))
      expect([...raw]).toEqual([...KEY])
    }
  })

  it('draws a fresh key and IV every time', async () => {
    const { pem } = await makeKey()
    const key = await importBusinessPublicKey(pem)
    const [a, b] = await Promise.all([encryptPing(key), encryptPing(key)])
    expect([...a.iv]).not.toEqual([...b.iv])
    expect(JSON.parse(a.body).encrypted_flow_data).not.toBe(JSON.parse(b.body).encrypted_flow_data)
  })

  it('refuses a JWK that is not RSA', async () => {
    await expect(importBusinessPublicKey({ kty: 'EC', n: 'x', e: 'y' })).rejects.toThrow(TypeError)
  })
})

describe('the answer', () => {
  it('inverts every bit of the IV', () => {
    expect([...invertIv(IV)]).toEqual([...IV].map((b) => 255 - b))
  })

  it('decrypts an answer sealed by node:crypto with the same key and the inverted IV', async () => {
    expect(await decryptAnswer(ANSWER_SEALED, await aesKey(), IV)).toBe(ANSWER_PLAIN)
  })

  it('tolerates white space and JSON quotes around the base64', async () => {
    expect(await decryptAnswer(`\n  ${ANSWER_SEALED}  \r\n`, await aesKey(), IV)).toBe(ANSWER_PLAIN)
    expect(await decryptAnswer(` "${ANSWER_SEALED.replace(/\//g, '\\/')}"\n`, await aesKey(), IV)).toBe(ANSWER_PLAIN)
  })

  it('gives null for an answer sealed with the request IV, another key, a flipped bit, or no base64', async () => {
    expect(await decryptAnswer(ANSWER_SEALED, await aesKey(), invertIv(IV))).toBeNull()
    const other = await crypto.subtle.importKey('raw', new Uint8Array(16).fill(7), 'AES-GCM', false, ['decrypt'])
    expect(await decryptAnswer(ANSWER_SEALED, other, IV)).toBeNull()
    const flipped = ANSWER_SEALED.startsWith('F') ? `G${ANSWER_SEALED.slice(1)}` : `F${ANSWER_SEALED.slice(1)}`
    expect(await decryptAnswer(flipped, await aesKey(), IV)).toBeNull()
    expect(await decryptAnswer('<html>oops</html>', await aesKey(), IV)).toBeNull()
    expect(await decryptAnswer('', await aesKey(), IV)).toBeNull()
  })
})

describe('X-Hub-Signature-256', () => {
  it('is sha256= and the lowercase hex HMAC-SHA256 of the exact body bytes (UTF-8), as node:crypto computes it', async () => {
    expect(await hubSignature(new Secret('app-secret-for-tests'), '{"a":"é"}')).toBe('sha256=1db9cfa7653db3e596cc8022027cfb28df7397812d97ab6bc3644f3716ae82a7')
  })
})
