/** @module Hand-built RSA SubjectPublicKeyInfo PEMs of any size: import never checks that the modulus is a product of primes. */

/** A PEM whose modulus has exactly `bits` bits (top bit set, odd), exponent 65537. */
export function rsaSpkiPem(bits: number): string {
  const modulus = new Uint8Array(bits / 8 + 1)
  for (let i = 1; i < modulus.length; i++) modulus[i] = (i * 151 + 7) & 0xff
  modulus[1] |= 0x80
  modulus[modulus.length - 1] |= 1
  const rsaKey = tlv(0x30, [...tlv(0x02, [...modulus]), ...tlv(0x02, [1, 0, 1])])
  const algorithm = tlv(0x30, [...tlv(0x06, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]), 0x05, 0x00])
  const der = tlv(0x30, [...algorithm, ...tlv(0x03, [0, ...rsaKey])])
  const base64 = btoa(String.fromCharCode(...der))
  return `-----BEGIN PUBLIC KEY-----\n${(base64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END PUBLIC KEY-----\n`
}

function tlv(tag: number, body: number[]): number[] {
  const n = body.length
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]
  return [tag, ...length, ...body]
}
