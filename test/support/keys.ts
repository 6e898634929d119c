/** @module Real RSA keys for tests (the keys in the upstream document are redacted and invalid). */
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, type CryptoKey } from 'jose'

export interface TestKey {
  pem: string
  publicKey: CryptoKey
  privateKey: CryptoKey
}

export async function makeKey(modulusLength = 2048): Promise<TestKey> {
  const { publicKey, privateKey } = await generateKeyPair('RSA-OAEP-256', { modulusLength, extractable: true })
  return { pem: await exportSPKI(publicKey), publicKey, privateKey }
}

export { exportJWK, exportPKCS8 }
