/** @module Real RSA keys for tests (the keys in the upstream document are redacted and invalid). */
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, type CryptoKey } from 'jose'

export interface TestKey {
  pem: string
  publicKey: CryptoKey
  privateKey: CryptoKey
}

export async function makeKey(modulusLength = 2048): Promise<TestKey> {
  if (modulusLength < 2048) {
    // jose will not make keys this weak; WebCrypto will, and Kaleyra could hold one.
    const pair = (await crypto.subtle.generateKey({ name: 'RSA-OAEP', modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, [
      'encrypt',
      'decrypt',
    ])) as CryptoKeyPair
    return { pem: await exportSPKI(pair.publicKey), publicKey: pair.publicKey, privateKey: pair.privateKey }
  }
  const { publicKey, privateKey } = await generateKeyPair('RSA-OAEP-256', { modulusLength, extractable: true })
  return { pem: await exportSPKI(publicKey), publicKey, privateKey }
}

export { exportJWK, exportPKCS8 }
