/** @module Reads every answer shape of Kaleyra's Get Encryption Public Key API into a key, no key, or a typed error. */
import { KaleyraError } from './errors'

export type KaleyraAnswer =
  | { kind: 'key'; pem: string; signatureStatus: string }
  | { kind: 'no_key'; signatureStatus: string | null }

/** Shown when a key arrives without `business_public_key_signature_status`: anything but VALID alerts. */
export const UNKNOWN_SIGNATURE_STATUS = 'UNKNOWN'
const MAX_DETAIL_CHARS = 200

export interface RawAnswer {
  status: number
  contentType: string | null
  retryAfterMs: number | null
  body: string
}

/** Pure: the HTTP status and body text in, the meaning out (or a KaleyraError thrown). */
export function classifyAnswer(raw: RawAnswer): KaleyraAnswer {
  const { status } = raw
  let json: unknown
  try {
    json = JSON.parse(raw.body)
  } catch {
    throw byStatus(raw, `Kaleyra answered ${status} with a body that is not JSON (${describeBody(raw)})`)
  }
  if (!isObject(json) || typeof json.code !== 'string') {
    throw byStatus(raw, `Kaleyra answered ${status} with JSON that is not the documented shape (no "code")`)
  }
  const code = json.code
  const detail = describeError(json)
  switch (code) {
    case 'WA-200':
      if (status < 200 || status > 299) break
      return readData(json.data, raw)
    case 'RBC001':
      throw new KaleyraError('kaleyra_auth_failed', `Kaleyra rejected the SID or API key (RBC001: ${detail})`, { retryable: false, status })
    case 'WA-401':
      throw new KaleyraError('kaleyra_api_not_enabled', `The API is not enabled for this Kaleyra account (WA-401: ${detail})`, { retryable: false, status })
    case 'WA-400':
      throw new KaleyraError('kaleyra_bad_request', `Kaleyra refused the request (WA-400: ${detail})`, { retryable: false, status })
    case 'WA-500':
      throw new KaleyraError('kaleyra_server_error', `Kaleyra failed internally (WA-500: ${detail})`, { retryable: true, status })
  }
  throw byStatus(raw, `Kaleyra answered ${status} with code ${code.slice(0, 40)} (${detail})`)
}

function readData(data: unknown, raw: RawAnswer): KaleyraAnswer {
  // The document's empty `data` is `[]` on success and `{}` elsewhere: both mean "no key" after WA-200.
  if (isObject(data) && Object.keys(data).length === 0) return { kind: 'no_key', signatureStatus: null }
  if (!Array.isArray(data)) {
    // Anything else in place of the array is not trusted as "no key": a removal alert on a garbled answer would be false.
    throw new KaleyraError('kaleyra_bad_response', 'Kaleyra answered WA-200 but "data" is neither a list nor empty', { retryable: true, status: raw.status })
  }
  const entry: unknown = data[0]
  if (entry === undefined) return { kind: 'no_key', signatureStatus: null }
  if (!isObject(entry)) {
    throw new KaleyraError('kaleyra_bad_response', 'Kaleyra answered WA-200 with a "data" entry that is not an object', { retryable: true, status: raw.status })
  }
  const status = typeof entry.business_public_key_signature_status === 'string' && entry.business_public_key_signature_status.trim()
    ? entry.business_public_key_signature_status.trim().toUpperCase()
    : null
  const pem = entry.business_public_key
  if (typeof pem !== 'string' || !pem.trim()) return { kind: 'no_key', signatureStatus: status }
  return { kind: 'key', pem, signatureStatus: status ?? UNKNOWN_SIGNATURE_STATUS }
}

function byStatus(raw: RawAnswer, message: string): KaleyraError {
  const { status } = raw
  if (status === 429) return new KaleyraError('kaleyra_rate_limited', message, { retryable: true, status, retryAfterMs: raw.retryAfterMs })
  if (status >= 500) return new KaleyraError('kaleyra_server_error', message, { retryable: true, status })
  if (status === 401 || status === 403) return new KaleyraError('kaleyra_auth_failed', message, { retryable: false, status })
  if (status === 408) return new KaleyraError('kaleyra_timeout', message, { retryable: true, status })
  // A 2xx whose body is garbled is most likely a proxy hiccup: worth another try. Other 4xx will not change.
  return new KaleyraError('kaleyra_bad_response', message, { retryable: status < 300, status })
}

function describeError(json: Record<string, unknown>): string {
  const parts: string[] = []
  if (typeof json.message === 'string') parts.push(json.message)
  const error = json.error
  if (typeof error === 'string' && error !== json.message) parts.push(error)
  else if (isObject(error)) {
    for (const value of Object.values(error)) {
      if (typeof value === 'string' && value !== json.message) parts.push(value)
    }
  }
  const text = parts.join('; ') || 'no message'
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}…` : text
}

function describeBody(raw: RawAnswer): string {
  if (!raw.body) return 'empty'
  const type = raw.contentType?.split(';')[0]?.trim() || 'no content type'
  return `${type}, ${raw.body.length} characters`
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
