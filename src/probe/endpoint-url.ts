/** @module Flow endpoint URLs: which are accepted, and the only form of one that may be shown (no query, no user info). */
import { FlowkeyError } from '../errors'

export const MAX_ENDPOINT_URL_CHARS = 2048

/**
 * Returns the URL to fetch, as given (its query may carry the endpoint's token).
 * Only `https:`; plain `http:` only on loopback, for local endpoints and the emulator.
 * Error messages show the URL without its query, so a token never reaches a log or a 400.
 */
export function checkEndpointUrl(raw: string): string {
  const text = raw.trim()
  if (text.length > MAX_ENDPOINT_URL_CHARS) {
    throw new FlowkeyError('invalid_request', `endpoint_url is longer than ${MAX_ENDPOINT_URL_CHARS} characters`)
  }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new FlowkeyError('invalid_request', `endpoint_url "${clipForMessage(text)}" is not a URL`)
  }
  if (url.username || url.password) {
    // fetch refuses URLs with credentials; a token belongs in the query, which flowkey never shows.
    throw new FlowkeyError('invalid_request', `endpoint_url "${displayEndpointUrl(url)}" must not hold a user name or password`)
  }
  if (url.protocol === 'https:') return text
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return text
  if (url.protocol === 'http:') {
    throw new FlowkeyError('invalid_request', `endpoint_url "${displayEndpointUrl(url)}" must use https: (plain http: only on loopback, for local use)`)
  }
  throw new FlowkeyError('invalid_request', `endpoint_url "${displayEndpointUrl(url)}" must be an https: URL`)
}

/** The URL as it may appear anywhere (status, events, logs, pages): scheme, host, port and path only. */
export function displayEndpointUrl(url: string | URL): string {
  let parsed: URL
  try {
    parsed = typeof url === 'string' ? new URL(url) : url
  } catch {
    return clipForMessage(String(url))
  }
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`
}

/** 127.0.0.0/8, `localhost` and `[::1]`: the WHATWG parser has already canonicalised `127.1` and `[0:0::1]`. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase()
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

/** For text that is not even a URL: cut at the first `?` or `#` and `@`-prefixed user info, then clip. */
function clipForMessage(text: string): string {
  const noQuery = text.split(/[?#]/, 1)[0] ?? ''
  const noUser = noQuery.replace(/\/\/[^/]*@/, '//')
  return noUser.slice(0, 80)
}
