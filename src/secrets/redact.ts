/** @module Removes every configured secret, in every spelling it may come back in, from text that arrived from outside. */

import { toHex } from '../encoding'
import { REDACTED } from '../secret'

export { REDACTED }
/** Derived spellings (a URL's path segment, a base64 slice) shorter than this would match ordinary words. */
const MIN_DERIVED_CHARS = 8

export type Redact = (text: string) => string

const encoder = new TextEncoder()

/**
 * Builds the redactor once per config. Matching is on ASCII-lower-cased text with
 * `indexOf` per needle (no regular expression), so its cost is linear in the text
 * for a fixed set of secrets, whatever the text holds.
 */
export function createRedactor(secrets: readonly string[], parts: readonly string[] = []): Redact {
  const needles = new Set<string>()
  for (const secret of secrets) {
    if (!secret) continue
    for (const form of spellings(secret)) if (form) needles.add(asciiLower(form))
  }
  for (const part of parts) {
    if (part.length < MIN_DERIVED_CHARS) continue
    for (const form of spellings(part)) if (form.length >= MIN_DERIVED_CHARS) needles.add(asciiLower(form))
  }
  // Longest first only matters for readability of overlaps; ranges are merged either way.
  const list = [...needles].sort((a, b) => b.length - a.length)
  if (list.length === 0) return (text) => text
  return (text) => redactWith(list, text)
}

/** The parts of a secret URL that are secret on their own: its path, each long segment, each query value. */
export function urlParts(value: string): string[] {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return []
  }
  const parts = [url.pathname, url.pathname + url.search]
  for (const segment of url.pathname.split('/')) if (looksLikeToken(segment)) parts.push(segment)
  for (const [, v] of url.searchParams) if (looksLikeToken(v)) parts.push(v)
  return parts.filter((p) => p.length >= MIN_DERIVED_CHARS)
}

/** Slack's `T…`/`B…` ids and tokens carry digits or are long; a word such as `services` is neither, and stays readable. */
function looksLikeToken(segment: string): boolean {
  if (segment.length >= 16) return true
  if (segment.length < MIN_DERIVED_CHARS) return false
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i)
    if (c >= 48 && c <= 57) return true
  }
  return false
}

/** A Standard Webhooks secret's base64 body after `whsec_`, and the key bytes it decodes to, spelled as text. */
export function webhookSecretParts(value: string): string[] {
  const body = value.startsWith('whsec_') ? value.slice('whsec_'.length) : value
  const parts = [body]
  try {
    const bytes = Uint8Array.from(atob(body), (c) => c.charCodeAt(0))
    parts.push(toHex(bytes), String.fromCharCode(...bytes))
  } catch {
    // Not base64: config.ts reports it; the body text is still redacted.
  }
  return parts
}

/** Whole, URL-encoded (both ways), JSON-escaped, base64 and base64url at each of the three byte alignments. */
function spellings(secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1)]
  try {
    forms.push(encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+'), encodeURI(secret))
  } catch {
    // A lone surrogate cannot be URL-encoded; the other spellings still apply.
  }
  const bytes = encoder.encode(secret)
  for (let offset = 0; offset < 3; offset++) {
    const base64 = alignedBase64(bytes, offset)
    forms.push(base64, base64.replace(/\+/g, '-').replace(/\//g, '_'))
  }
  return forms
}

/**
 * The characters of base64 that depend only on the secret when it starts `offset` bytes
 * into a longer encoded text: a secret inside an encoded body is found at any position.
 */
function alignedBase64(bytes: Uint8Array, offset: number): string {
  const padded = new Uint8Array(offset + bytes.length)
  padded.set(bytes, offset)
  let binary = ''
  for (const byte of padded) binary += String.fromCharCode(byte)
  const encoded = btoa(binary)
  const start = Math.ceil((offset * 8) / 6)
  const end = Math.floor((padded.length * 8) / 6)
  return encoded.slice(start, end)
}

function redactWith(needles: readonly string[], text: string): string {
  if (!text) return text
  const haystack = asciiLower(text)
  const ranges: Array<[number, number]> = []
  for (const needle of needles) {
    for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) {
      ranges.push([at, at + needle.length])
    }
  }
  if (ranges.length === 0) return text
  ranges.sort((a, b) => a[0] - b[0])
  let out = ''
  let cursor = 0
  let open = -1
  let close = -1
  for (const [start, end] of ranges) {
    if (start > close) {
      if (open !== -1) out += text.slice(cursor, open) + REDACTED
      if (open !== -1) cursor = close
      open = start
      close = end
    } else if (end > close) {
      close = end
    }
  }
  out += text.slice(cursor, open) + REDACTED + text.slice(close)
  return out
}

/** Lower-cases A-Z only, so every index in the result is the same index in the input. */
function asciiLower(text: string): string {
  let out = ''
  let from = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 65 && code <= 90) {
      out += text.slice(from, i) + String.fromCharCode(code + 32)
      from = i + 1
    }
  }
  return from === 0 ? text : out + text.slice(from)
}
