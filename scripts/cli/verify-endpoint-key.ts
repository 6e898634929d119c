/** @module `flowkey verify-endpoint-key private.pem --phone +91…`: the public key of a local private key against the key flowkey serves; the private key never leaves this process. */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { calculateJwkThumbprint } from 'jose'
import { CliError, callApi, type ApiOptions } from './api.js'

export interface KeyFingerprints {
  kid: string
  spki_sha256: string
}
interface ServedKey {
  phone: string
  kid: string
  spki_sha256: string
  signature_status: string
  fetched_at: string
}
export interface Verdict {
  match: boolean
  lines: string[]
}

/** RFC 7638 thumbprint (the `kid` flowkey serves) and SHA-256 of the DER SubjectPublicKeyInfo, base64, from a private key PEM. */
export async function fingerprintsOfPrivateKey(pem: string, passphrase?: string): Promise<KeyFingerprints> {
  let key: KeyObject
  try {
    key = createPrivateKey({ key: pem, format: 'pem', passphrase })
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err)
    if (/passphrase|decrypt|bad decrypt/i.test(text)) {
      throw new CliError(
        `the private key is encrypted${passphrase ? ' and FLOWKEY_KEY_PASSPHRASE does not open it' : ': put its passphrase in FLOWKEY_KEY_PASSPHRASE'}`,
      )
    }
    throw new CliError(`not a private key in PEM (${text})`)
  }
  if (key.asymmetricKeyType !== 'rsa') throw new CliError(`the key is ${key.asymmetricKeyType ?? 'unknown'}, but WhatsApp Flows use RSA`)
  const publicKey = createPublicKey(key)
  const der = publicKey.export({ type: 'spki', format: 'der' })
  const jwk = publicKey.export({ format: 'jwk' })
  const kid = await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n, e: jwk.e }, 'sha256')
  return { kid, spki_sha256: createHash('sha256').update(der).digest('base64') }
}

export async function verifyEndpointKey(api: ApiOptions, file: string, phone: string, passphrase?: string): Promise<Verdict> {
  let pem: string
  try {
    pem = await readFile(file, 'utf8')
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`)
  }
  const local = await fingerprintsOfPrivateKey(pem, passphrase)
  // Only the phone goes out: a public route, no token, no key material.
  const served = (await callApi<ServedKey>({ ...api, token: null }, 'GET', `/v1/numbers/${encodeURIComponent(phone)}/key`)).body
  const match = local.kid === served.kid && local.spki_sha256 === served.spki_sha256
  const lines = [
    `${file.padEnd(20)} kid ${local.kid}  spki_sha256 ${local.spki_sha256}`,
    `${`served for ${served.phone}`.padEnd(20)} kid ${served.kid}  spki_sha256 ${served.spki_sha256}  (signature ${served.signature_status})`,
    match
      ? `MATCH: ${file} is the private key of the key Kaleyra holds for ${served.phone}; the Flow endpoint can decrypt WhatsApp's requests with it.`
      : `MISMATCH: ${file} is not the private key of the key Kaleyra holds for ${served.phone}. Either give the endpoint the matching private key, or upload this key's public half through Kaleyra (Set Encryption Public Key).`,
  ]
  return { match, lines }
}
