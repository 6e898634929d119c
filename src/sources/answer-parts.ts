/** @module Pieces every source's classifier shares: the HTTP status's reason, the signature status, the key entry, bounded descriptions. */
import type { SourcePrefix, SourceReason } from '../errors'
import type { Redact } from '../secrets/redact'
import type { KeyAnswer, RawAnswer } from './source'
import { SourceError } from './source-error'

/** Shown when a key arrives without its signature status: anything but VALID alerts. */
export const UNKNOWN_SIGNATURE_STATUS = 'UNKNOWN'
const MAX_DETAIL_CHARS = 200
/** WhatsApp's statuses are short upper-case words (`VALID`); anything else is not trusted, stored or shown. */
const SIGNATURE_STATUS = /^[A-Z][A-Z0-9_]{0,31}$/
const MAX_STATUS_CHARS = 32

/** What an HTTP status means when the body says nothing more; a source may read some statuses its own way. */
export function reasonOfStatus(status: number, own: Partial<Record<number, SourceReason>> = {}): SourceReason {
  const mine = own[status]
  if (mine) return mine
  if (status === 429) return 'rate_limited'
  if (status >= 500) return 'server_error'
  if (status === 401) return 'auth_failed'
  if (status === 403) return 'permission_denied'
  if (status === 404) return 'not_found'
  if (status === 408) return 'timeout'
  if (status === 400 || status === 422) return 'bad_request'
  // A 2xx whose body is garbled is most likely a proxy hiccup: worth another try (source-error.ts). Other 4xx will not change.
  return 'bad_response'
}

/** The failure a status alone explains, with the source's backoff hint when it is a rate limit. */
export function failureOfStatus(prefix: SourcePrefix, raw: RawAnswer, message: string, own?: Partial<Record<number, SourceReason>>): SourceError {
  const reason = reasonOfStatus(raw.status, own)
  return new SourceError(`${prefix}_${reason}`, message, { status: raw.status, retryAfterMs: reason === 'rate_limited' ? raw.retryAfterMs : null })
}

/**
 * A key entry (`business_public_key` and its status, under whatever names the source uses):
 * a blank key is no key, and the status is kept either way.
 */
export function keyOf(prefix: SourcePrefix, pem: unknown, status: unknown, raw: RawAnswer, redact: Redact, field: string): KeyAnswer {
  const signatureStatus = readSignatureStatus(prefix, field, status, raw.status, redact)
  if (typeof pem !== 'string' || !pem.trim()) return { kind: 'no_key', signatureStatus }
  return { kind: 'key', pem, signatureStatus: signatureStatus ?? UNKNOWN_SIGNATURE_STATUS }
}

/** A short upper-case word, or the whole answer is refused: a status is stored, shown on public pages and sent in events. */
export function readSignatureStatus(prefix: SourcePrefix, field: string, value: unknown, httpStatus: number, redact: Redact): string | null {
  if (value === undefined || value === null) return null
  // The length is checked first, so a 250 KB status costs nothing further.
  const status = typeof value === 'string' && value.length <= MAX_STATUS_CHARS * 4 ? redact(value).trim() : null
  if (status === '') return null
  if (status === null || status.length > MAX_STATUS_CHARS || !SIGNATURE_STATUS.test(status)) {
    const shape = typeof value === 'string' ? `${value.length} characters` : typeof value
    throw new SourceError(
      `${prefix}_bad_response`,
      `${field} is not a short upper-case word such as VALID (${shape}); the answer is not used`,
      // Garbage in a 200 is no hiccup: the same answer would come back.
      { status: httpStatus, retryable: false },
    )
  }
  return status
}

/** Redacted first, then cut: cut first, a secret at the end of a long text would survive in part. */
export function clip(text: string, redact: Redact, fallback = 'no message'): string {
  const clean = redact(text) || fallback
  return clean.length > MAX_DETAIL_CHARS ? `${clean.slice(0, MAX_DETAIL_CHARS)}…` : clean
}

/** A body flowkey cannot read, described by its type and size only: its content may be anything. */
export function describeBody(raw: RawAnswer, redact: Redact): string {
  if (!raw.body) return 'empty'
  const type =
    redact(raw.contentType ?? '')
      .split(';')[0]
      ?.trim()
      .slice(0, 80) || 'no content type'
  return `${type}, ${raw.body.length} characters`
}

/** The body as JSON, or undefined when it is not JSON at all. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown
  } catch {
    return undefined
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
