/** @module Sends one Flow endpoint the health-check ping WhatsApp sends, encrypted with the registered key, and reads what the answer proves. */
import { calculateJwkThumbprint } from 'jose'
import { pemToBusinessKey } from '../keys/pem'
import { BodyTooLargeError, isTimeout, readCappedBytes } from '../net/capped-body'
import { REDACTED, type Secret } from '../secret'
import { displayEndpointUrl } from './endpoint-url'
import { cryptoRandomBytes, decryptAnswer, encryptPing, importBusinessPublicKey, type RandomBytes, type RsaPublicJwk } from './flow-crypto'
import { HUB_SIGNATURE_HEADER, hubSignature } from './hub-signature'
import { adviceFor, type ProbeOutcome, type ProbeResult } from './outcome'

/** WhatsApp treats a slower endpoint as timed out. */
export const PROBE_TIMEOUT_MS = 10_000
/** The ping's answer is a few dozen bytes of base64; anything near this is not that answer. */
export const MAX_ANSWER_BYTES = 64 * 1024

export interface ProbeTarget {
  /** As configured, query string included (it may carry the endpoint's token); checked by checkEndpointUrl. */
  url: string
  /** The key Kaleyra reports: a JWK `{kty,n,e,kid?}` as flowkey stores it, or an SPKI PEM. */
  key: RsaPublicJwk | string
  /** `META_APP_SECRET_<SID>` / `META_APP_SECRET` (see appSecretFor); null sends the ping unsigned. */
  appSecret: Secret | null
}

export interface ProbeOptions {
  fetch: typeof fetch
  /** Clock in ms, for latency_ms and probed_at. */
  now: () => number
  timeoutMs?: number
  randomBytes?: RandomBytes
  maxAnswerBytes?: number
  /** Why this URL must not be fetched, or null (endpointRefusal): a refused target is never connected to. */
  refuse?: (url: string) => string | null
}

/** Never throws for anything the endpoint does; only a key that is not an RSA public key throws (FlowkeyError `invalid_key` or TypeError). */
export async function probeEndpoint(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS
  const [publicKey, kid] = await Promise.all([importBusinessPublicKey(target.key), kidOf(target.key)])
  const ping = await encryptPing(publicKey, options.randomBytes ?? cryptoRandomBytes)
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'flowkey-probe' }
  if (target.appSecret) headers[HUB_SIGNATURE_HEADER] = await hubSignature(target.appSecret, ping.body)

  const url = displayEndpointUrl(target.url)
  const started = options.now()
  const finish = (outcome: ProbeOutcome, status: number | null, detail: string | null): ProbeResult => {
    const signed = target.appSecret !== null
    return {
      outcome,
      http_status: status,
      latency_ms: Math.max(0, Math.round(options.now() - started)),
      kid,
      url,
      signed,
      inconclusive: outcome === 'signature_rejected' && !signed,
      probed_at: new Date(started).toISOString(),
      detail: detail === null ? null : scrub(detail, target.url),
      advice: adviceFor({ outcome, kid, http_status: status, signed }),
    }
  }

  // Checked again at send time: a URL stored before the rules (or under ALLOW_PRIVATE_ENDPOINTS=true) is not sent to.
  const refused = options.refuse?.(target.url) ?? null
  if (refused) return finish('unreachable', null, `Not sent: ${refused}.`)

  const signal = AbortSignal.timeout(timeoutMs)
  // Called unbound: Workers' fetch throws "Illegal invocation" when called as a method of another object.
  const fetchFn = options.fetch
  let response: Response
  try {
    // Never follow a redirect: the ping is for this URL only, and a hop could carry the signed body elsewhere.
    response = await fetchFn(target.url, { method: 'POST', headers, body: ping.body, redirect: 'manual', signal })
  } catch (err) {
    return finish('unreachable', null, networkDetail(err, timeoutMs))
  }
  const { status } = response
  if (status !== 200) {
    await response.body?.cancel().catch(() => undefined)
    if (status === 421) return finish('key_mismatch', status, `The endpoint answered 421: it cannot decrypt a request encrypted with kid ${kid}.`)
    if (status === 432)
      return finish(
        'signature_rejected',
        status,
        target.appSecret
          ? 'The endpoint answered 432: it rejected the request signature.'
          : 'The endpoint answered 432 to an unsigned probe: it checks signatures, and flowkey has no app secret to sign with.',
      )
    return finish('http_error', status, statusDetail(status))
  }

  let answer: Uint8Array
  try {
    answer = await readCappedBytes(response, options.maxAnswerBytes ?? MAX_ANSWER_BYTES)
  } catch (err) {
    if (err instanceof BodyTooLargeError)
      return finish('bad_response', status, `The endpoint answered 200 with more than ${err.maxBytes} bytes, which is not the ping's answer.`)
    return finish('unreachable', status, networkDetail(err, timeoutMs))
  }
  const plaintext = await decryptAnswer(new TextDecoder().decode(answer), ping.aesKey, ping.iv)
  if (plaintext === null) {
    return finish('bad_response', status, "The endpoint answered 200 with a body that does not decrypt with the probe's AES key and the inverted IV.")
  }
  if (!isActive(plaintext)) {
    return finish(
      'bad_response',
      status,
      `The endpoint's answer decrypts, so it holds the right key, but it is not the ping's answer: ${JSON.stringify(plaintext.slice(0, 120))}.`,
    )
  }
  return finish('ok', status, null)
}

/** `{"data":{"status":"active"}}`, with whatever else the endpoint adds (Meta's examples echo `version`). */
function isActive(plaintext: string): boolean {
  try {
    const value: unknown = JSON.parse(plaintext)
    if (typeof value !== 'object' || value === null) return false
    const data: unknown = (value as Record<string, unknown>)['data']
    return typeof data === 'object' && data !== null && (data as Record<string, unknown>)['status'] === 'active'
  } catch {
    return false
  }
}

async function kidOf(key: RsaPublicJwk | string): Promise<string> {
  if (typeof key === 'string') return (await pemToBusinessKey(key)).kid
  return key.kid ?? calculateJwkThumbprint({ kty: 'RSA', n: key.n, e: key.e }, 'sha256')
}

function networkDetail(err: unknown, timeoutMs: number): string {
  if (isTimeout(err)) return `The endpoint did not answer within ${timeoutMs} ms.`
  const message = err instanceof Error ? err.message : String(err)
  return `The endpoint could not be reached (${message.slice(0, 200)}).`
}

/** A redirect is named by its status alone: its Location may carry a token in its path or query, and flowkey does not go there. */
function statusDetail(status: number): string {
  if (status >= 300 && status < 400) return `The endpoint answered ${status}, a redirect, which flowkey does not follow (its target is not recorded).`
  return `The endpoint answered ${status}.`
}

/** Runtime error messages may quote the URL; its query (a token, perhaps) is cut out wherever it appears. */
function scrub(text: string, rawUrl: string): string {
  let out = text.split(rawUrl).join(displayEndpointUrl(rawUrl))
  try {
    const { search } = new URL(rawUrl)
    if (search.length > 1) out = out.split(search).join('')
    const query = search.slice(1)
    if (query.length > 0) out = out.split(query).join(REDACTED)
  } catch {
    // Not a URL: nothing to cut; checkEndpointUrl keeps such values out.
  }
  return out
}
