/** @module Just enough DER to tell an RSA SubjectPublicKeyInfo's modulus size, for keys the runtime will not import. */

/** The largest RSA modulus workerd's WebCrypto imports (measured: a 16392-bit key fails with "Invalid SPKI input"; test/security/key-limits.test.ts). */
export const MAX_IMPORT_RSA_BITS = 16_384

const RSA_ENCRYPTION_OID = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]

interface Tlv {
  tag: number
  start: number
  end: number
}

/** The modulus size of an RSA SPKI, or null for anything else. Each step only moves forward: linear in the DER. */
export function rsaModulusBits(der: Uint8Array): number | null {
  const spki = readTlv(der, 0, der.length)
  if (spki?.tag !== 0x30) return null
  const algorithm = readTlv(der, spki.start, spki.end)
  if (algorithm?.tag !== 0x30) return null
  const oid = readTlv(der, algorithm.start, algorithm.end)
  if (oid?.tag !== 0x06 || !sameBytes(der.subarray(oid.start, oid.end), RSA_ENCRYPTION_OID)) return null
  const bits = readTlv(der, algorithm.end, spki.end)
  // A BIT STRING whose first byte counts unused bits (0 for a key).
  if (bits?.tag !== 0x03 || der[bits.start] !== 0) return null
  const rsaKey = readTlv(der, bits.start + 1, bits.end)
  if (rsaKey?.tag !== 0x30) return null
  const modulus = readTlv(der, rsaKey.start, rsaKey.end)
  if (modulus?.tag !== 0x02) return null
  let first = modulus.start
  while (first < modulus.end && der[first] === 0) first++
  if (first === modulus.end) return null
  return (modulus.end - first) * 8 - (Math.clz32(der[first]) - 24)
}

function readTlv(der: Uint8Array, at: number, limit: number): Tlv | null {
  if (at + 2 > limit) return null
  const tag = der[at]
  let length = der[at + 1]
  let start = at + 2
  if (length & 0x80) {
    const count = length & 0x7f
    if (count === 0 || count > 4 || start + count > limit) return null
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i]
    start += count
  }
  const end = start + length
  return end <= limit ? { tag, start, end } : null
}

function sameBytes(a: Uint8Array, b: readonly number[]): boolean {
  return a.length === b.length && b.every((byte, i) => a[i] === byte)
}
