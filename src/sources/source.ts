/** @module What every key source is: a read built from a number's fields, and an answer classified into a key, no key, or a coded failure. */
import type { SourcePrefix } from '../errors'
import type { Redact } from '../secrets/redact'

/** A number's `source` (INTERFACE.md, "Key sources"); `kaleyra` unless said otherwise. */
export const SOURCE_NAMES = ['kaleyra', 'meta', '360dialog', 'aws'] as const
export type SourceName = (typeof SOURCE_NAMES)[number]
export const DEFAULT_SOURCE: SourceName = 'kaleyra'

export function isSourceName(value: unknown): value is SourceName {
  return typeof value === 'string' && (SOURCE_NAMES as readonly string[]).includes(value)
}

/** The per-number fields of INTERFACE.md's "Key sources" table, as the watch list keeps them. */
export interface SourceFields {
  source: SourceName
  account: string | null
  phone_number_id: string | null
  region: string | null
}

/** Each source's prefix in its error codes, and its name in a sentence. */
export const SOURCE_INFO: Readonly<Record<SourceName, { prefix: SourcePrefix; words: string }>> = {
  kaleyra: { prefix: 'kaleyra', words: 'Kaleyra' },
  meta: { prefix: 'meta', words: "Meta's Graph API" },
  '360dialog': { prefix: 'd360', words: '360dialog' },
  aws: { prefix: 'aws', words: 'AWS End User Messaging Social' },
}

/** What a source said about a number's key: the same two shapes whoever said it. */
export type KeyAnswer = { kind: 'key'; pem: string; signatureStatus: string } | { kind: 'no_key'; signatureStatus: string | null }

/** One answer as read off the wire, capped, before any meaning is given to it. */
export interface RawAnswer {
  status: number
  contentType: string | null
  retryAfterMs: number | null
  /** The header AWS names its error type in (`x-amzn-ErrorType`); null for other sources. */
  errorType: string | null
  body: string
}

/** The read, ready to send: never a body, and a method that cannot write (read-key.ts refuses anything else). */
export interface ReadRequest {
  url: string
  method: 'GET' | 'POST'
  headers: Headers
}

/**
 * One source. `T` is what a single read needs (URL parts and credentials); the reader
 * (read-key.ts) owns time-outs, retries, the answer cap, redirects and the circuit.
 */
export interface KeySource<T> {
  name: SourceName
  /** Built per attempt: a signature (AWS) carries the time it was made. */
  buildRequest(target: T): Promise<ReadRequest>
  /** Pure: throws a SourceError for anything that is not a key or a documented "no key". */
  classify(raw: RawAnswer, redact: Redact): KeyAnswer
}
