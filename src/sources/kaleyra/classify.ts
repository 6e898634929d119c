/** @module Reads every answer shape of Kaleyra's Get Encryption Public Key API into a key, no key, or a coded failure. */
import type { Redact } from '../../secrets/redact'
import { clip, describeBody, failureOfStatus, isObject, keyOf, parseJson } from '../answer-parts'
import type { KeyAnswer, RawAnswer } from '../source'
import { SourceError } from '../source-error'

const keep: Redact = (text) => text
/** Kaleyra says 401 or 403 for a wrong SID or key, and nothing documented for 400 or 404 without its own code. */
const KALEYRA_STATUSES = { 403: 'auth_failed', 400: 'bad_response', 404: 'bad_response', 422: 'bad_response' } as const
/** Kaleyra's own codes (the contract's table), each to its failure. */
const CODES = {
  RBC001: ['kaleyra_auth_failed', 'Kaleyra rejected the SID or API key'],
  'WA-401': ['kaleyra_api_not_enabled', 'The API is not enabled for this Kaleyra account'],
  'WA-400': ['kaleyra_bad_request', 'Kaleyra refused the request'],
  'WA-500': ['kaleyra_server_error', 'Kaleyra failed internally'],
} as const

/**
 * Pure: the HTTP status and body text in, the meaning out (or a SourceError thrown).
 * Every upstream string passes `redact` before it is cut, kept or put in a message, so a
 * secret Kaleyra echoes never survives in part.
 */
export function classifyAnswer(raw: RawAnswer, redact: Redact = keep): KeyAnswer {
  const { status } = raw
  const json = parseJson(raw.body)
  if (json === undefined) {
    throw failureOfStatus('kaleyra', raw, `Kaleyra answered ${status} with a body that is not JSON (${describeBody(raw, redact)})`, KALEYRA_STATUSES)
  }
  if (!isObject(json) || typeof json.code !== 'string') {
    throw failureOfStatus('kaleyra', raw, `Kaleyra answered ${status} with JSON that is not the documented shape (no "code")`, KALEYRA_STATUSES)
  }
  const code = json.code
  const detail = describeError(json, redact)
  if (code === 'WA-200' && status >= 200 && status <= 299) return readData(json.data, raw, redact)
  if (Object.hasOwn(CODES, code)) {
    const [failure, words] = CODES[code as keyof typeof CODES]
    throw new SourceError(failure, `${words} (${code}: ${detail})`, { status })
  }
  throw failureOfStatus('kaleyra', raw, `Kaleyra answered ${status} with code ${redact(code).slice(0, 40)} (${detail})`, KALEYRA_STATUSES)
}

function readData(data: unknown, raw: RawAnswer, redact: Redact): KeyAnswer {
  // The document's empty `data` is `[]` on success and `{}` elsewhere: both mean "no key" after WA-200.
  if (isObject(data) && Object.keys(data).length === 0) return { kind: 'no_key', signatureStatus: null }
  if (!Array.isArray(data)) {
    // Anything else in place of the array is not trusted as "no key": a removal alert on a garbled answer would be false.
    throw new SourceError('kaleyra_bad_response', 'Kaleyra answered WA-200 but "data" is neither a list nor empty', { status: raw.status })
  }
  const entry: unknown = data[0]
  if (entry === undefined) return { kind: 'no_key', signatureStatus: null }
  if (!isObject(entry)) {
    throw new SourceError('kaleyra_bad_response', 'Kaleyra answered WA-200 with a "data" entry that is not an object', { status: raw.status })
  }
  const field = 'Kaleyra answered WA-200 with a business_public_key_signature_status that'
  return keyOf('kaleyra', entry.business_public_key, entry.business_public_key_signature_status, raw, redact, field)
}

function describeError(json: Record<string, unknown>, redact: Redact): string {
  const parts: string[] = []
  if (typeof json.message === 'string') parts.push(json.message)
  const error = json.error
  if (typeof error === 'string' && error !== json.message) parts.push(error)
  else if (isObject(error)) {
    for (const value of Object.values(error)) {
      if (typeof value === 'string' && value !== json.message) parts.push(value)
    }
  }
  return clip(parts.join('; '), redact)
}
