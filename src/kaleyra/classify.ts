/** @module Reads every answer shape of Kaleyra's Get Encryption Public Key API into a key, no key, or a typed error. */
import type { Redact } from '../secrets/redact'
import { KaleyraError } from './errors'

export type KaleyraAnswer = { kind: 'key'; pem: string; signatureStatus: string } | { kind: 'no_key'; signatureStatus: string | null }

/** Shown when a key arrives without `business_public_key_signature_status`: anything but VALID alerts. */
export const UNKNOWN_SIGNATURE_STATUS = 'UNKNOWN'
const MAX_DETAIL_CHARS = 200
/** Kaleyra's statuses are short upper-case words (`VALID`); anything else is not trusted, stored or shown. */
const SIGNATURE_STATUS = /^[A-Z][A-Z0-9_]{0,31}$/
const MAX_STATUS_CHARS = 32
const keep: Redact = (text) => text

export interface RawAnswer {
  status: number
  contentType: string | null
  retryAfterMs: number | null
  body: string
}

/**
 * Pure: the HTTP status and body text in, the meaning out (or a KaleyraError thrown).
 * Every upstream string passes `redact` before it is cut, kept or put in a message, so a
 * secret Kaleyra echoes never survives in part.
 */
export function classifyAnswer(raw: RawAnswer, redact: Redact = keep): KaleyraAnswer {
  const { status } = raw
  let json: unknown
  try {
    json = JSON.parse(raw.body)
  } catch {
    throw byStatus(raw, `Kaleyra answered ${status} with a body that is not JSON (${describeBody(raw, redact)})`)
  }
  if (!isObject(json) || typeof json.code !== 'string') {
    throw byStatus(raw, `Kaleyra answered ${status} with JSON that is not the documented shape (no "code")`)
  }
  const code = json.code
  const detail = describeError(json, redact)
  switch (code) {
    case 'WA-200':
      if (status < 200 || status > 299) break
      return readData(json.data, raw, redact)
    case 'RBC001':
      throw new KaleyraError('kaleyra_auth_failed', `Kaleyra rejected the SID or API key (RBC001: ${detail})`, { retryable: false, status })
    case 'WA-401':
      throw new KaleyraError('kaleyra_api_not_enabled', `The API is not enabled for this Kaleyra account (WA-401: ${detail})`, { retryable: false, status })
    case 'WA-400':
      throw new KaleyraError('kaleyra_bad_request', `Kaleyra refused the request (WA-400: ${detail})`, { retryable: false, status })
    case 'WA-500':
      throw new KaleyraError('kaleyra_server_error', `Kaleyra failed internally (WA-500: ${detail})`, { retryable: true, status })
  }
  throw byStatus(raw, `Kaleyra answered ${status} with code ${redact(code).slice(0, 40)} (${detail})`)
}

function readData(data: unknown, raw: RawAnswer, redact: Redact): KaleyraAnswer {
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
  const status = readSignatureStatus(entry.business_public_key_signature_status, raw, redact)
  const pem = entry.business_public_key
  if (typeof pem !== 'string' || !pem.trim()) return { kind: 'no_key', signatureStatus: status }
  return { kind: 'key', pem, signatureStatus: status ?? UNKNOWN_SIGNATURE_STATUS }
}

/** A short upper-case word, or the whole answer is refused: a status is stored, shown on public pages and sent in events. */
function readSignatureStatus(value: unknown, raw: RawAnswer, redact: Redact): string | null {
  if (value === undefined || value === null) return null
  // The length is checked first, so a 250 KB status costs nothing further.
  const status = typeof value === 'string' && value.length <= MAX_STATUS_CHARS * 4 ? redact(value).trim() : null
  if (status === '') return null
  if (status === null || status.length > MAX_STATUS_CHARS || !SIGNATURE_STATUS.test(status)) {
    const shape = typeof value === 'string' ? `${value.length} characters` : typeof value
    throw new KaleyraError(
      'kaleyra_bad_response',
      `Kaleyra answered WA-200 with a business_public_key_signature_status that is not a short upper-case word such as VALID (${shape}); the answer is not used`,
      { retryable: false, status: raw.status },
    )
  }
  return status
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

/** Redacted first, then cut: cut first, a secret at the end of a long message would survive in part. */
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
  const text = redact(parts.join('; ')) || 'no message'
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}…` : text
}

function describeBody(raw: RawAnswer, redact: Redact): string {
  if (!raw.body) return 'empty'
  const type =
    redact(raw.contentType ?? '')
      .split(';')[0]
      ?.trim()
      .slice(0, 80) || 'no content type'
  return `${type}, ${raw.body.length} characters`
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
