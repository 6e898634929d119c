/** @module Meta's answer shapes (flat, or wrapped in `data`) and the Graph error envelope, for Meta and for 360dialog, which passes Meta's call on. */
import type { SourcePrefix, SourceReason } from '../errors'
import type { Redact } from '../secrets/redact'
import { clip, describeBody, failureOfStatus, isObject, keyOf, parseJson, reasonOfStatus } from './answer-parts'
import type { KeyAnswer, RawAnswer } from './source'
import { SourceError } from './source-error'

/** Graph error codes by reason (Meta's documented codes for this call, and its throttling codes). */
const GRAPH_CODES: ReadonlyMap<number, SourceReason> = new Map([
  [190, 'auth_failed'],
  [102, 'auth_failed'],
  [200, 'permission_denied'],
  [10, 'permission_denied'],
  [803, 'not_found'],
  [100, 'bad_request'],
  [4, 'rate_limited'],
  [17, 'rate_limited'],
  [32, 'rate_limited'],
  [613, 'rate_limited'],
  [80007, 'rate_limited'],
  [1, 'server_error'],
  [2, 'server_error'],
])
/** When Meta sends no Retry-After for a throttle, wait at least this before the one retry the run allows. */
const GRAPH_THROTTLE_WAIT_MS = 2_000

/** Pure: the answer of `GET …/whatsapp_business_encryption`, read as Meta documents it. */
export function classifyGraphAnswer(prefix: SourcePrefix, words: string, raw: RawAnswer, redact: Redact): KeyAnswer {
  const json = parseJson(raw.body)
  if (json === undefined) throw failureOfStatus(prefix, raw, `${words} answered ${raw.status} with a body that is not JSON (${describeBody(raw, redact)})`)
  if (isObject(json) && isObject(json.error)) throw graphError(prefix, words, json.error, raw, redact)
  if (raw.status < 200 || raw.status > 299 || !isObject(json)) {
    throw failureOfStatus(prefix, raw, `${words} answered ${raw.status} with JSON that is neither the key nor a Graph error`)
  }
  const entry = entryOf(json)
  if (entry === undefined) {
    throw new SourceError(`${prefix}_bad_response`, `${words} answered ${raw.status} without business_public_key, its status or a "data" list`, {
      status: raw.status,
    })
  }
  if (entry === null) return { kind: 'no_key', signatureStatus: null }
  return keyOf(prefix, entry.business_public_key, entry.business_public_key_signature_status, raw, redact, `${words}'s business_public_key_signature_status`)
}

/** Flat, or the first element of `data`; null for an empty `data`; undefined when it is neither shape. */
function entryOf(json: Record<string, unknown>): Record<string, unknown> | null | undefined {
  if (Array.isArray(json.data)) {
    const first: unknown = json.data[0]
    if (first === undefined) return null
    return isObject(first) ? first : undefined
  }
  return 'business_public_key' in json || 'business_public_key_signature_status' in json ? json : undefined
}

function graphError(prefix: SourcePrefix, words: string, error: Record<string, unknown>, raw: RawAnswer, redact: Redact): SourceError {
  const code = typeof error.code === 'number' ? error.code : null
  const subcode = typeof error.error_subcode === 'number' ? `/${error.error_subcode}` : ''
  const byCode = code === null ? undefined : GRAPH_CODES.get(code)
  // A 429 is a throttle whatever its code; `is_transient` marks an error worth retrying that no code explains.
  let reason: SourceReason = raw.status === 429 ? 'rate_limited' : (byCode ?? reasonOfStatus(raw.status))
  if (error.is_transient === true && !['rate_limited', 'server_error'].includes(reason)) reason = 'server_error'
  const said = typeof error.message === 'string' ? clip(error.message, redact) : 'no message'
  const trace = typeof error.fbtrace_id === 'string' ? `, fbtrace_id ${clip(error.fbtrace_id, redact).slice(0, 40)}` : ''
  const message = `${words} answered ${raw.status} with Graph error ${code ?? 'without a code'}${subcode}: ${said}${trace}`
  const retryAfterMs = reason === 'rate_limited' ? Math.max(raw.retryAfterMs ?? 0, GRAPH_THROTTLE_WAIT_MS) : null
  // Meta's own word that trying again helps stands, whatever the HTTP status.
  const retryable = error.is_transient === true ? true : undefined
  return new SourceError(`${prefix}_${reason}`, message, { status: raw.status, retryAfterMs, retryable })
}
