/** @module Flow endpoint URLs: which may be probed (never inward, never flowkey itself), and the only form of one that may be shown (no query, no user info). */
import { clip } from '../clip'
import { FlowkeyError } from '../errors'
import { classifyHost } from './address-class'

export const MAX_ENDPOINT_URL_CHARS = 2048

/** What a Flow endpoint URL may name. */
export interface EndpointRules {
  /** ALLOW_PRIVATE_ENDPOINTS: loopback, private and unique-local hosts and `localhost`, for local use. */
  allowPrivate: boolean
  /** The origin this request reached flowkey at, when known: never a probe target, however it is spelled. */
  ownOrigin: string | null
}

/**
 * Returns the URL to fetch, as given (its query may carry the endpoint's token), or throws `invalid_request` saying why not.
 * Error messages show the URL without its query, so a token never reaches a log or a 400.
 */
export function checkEndpointUrl(raw: string, rules: EndpointRules): string {
  const text = raw.trim()
  const refusal = endpointRefusal(text, rules)
  if (refusal) throw new FlowkeyError('invalid_request', refusal)
  return text
}

/**
 * Why flowkey will not probe this URL, or null. Only `https:` to a public host; with `allowPrivate`, also loopback
 * (plain `http:` there only) and private hosts. Never flowkey's own origin, never Cloudflare's `/cdn-cgi/` (under
 * `wrangler dev` it starts the worker's own cron, so a probe there would start a run that probes again).
 */
export function endpointRefusal(text: string, rules: EndpointRules): string | null {
  if (text.length > MAX_ENDPOINT_URL_CHARS) return `endpoint_url is longer than ${MAX_ENDPOINT_URL_CHARS} characters`
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return `endpoint_url "${clipForMessage(text)}" is not a URL`
  }
  const shown = `endpoint_url "${clip(displayEndpointUrl(url), 80)}"`
  // The URL parser drops tabs and line breaks silently; what is stored must be what is fetched.
  if (/[\s\p{Cc}]/u.test(text)) return `${shown} must not hold spaces or control characters`
  // fetch refuses URLs with credentials; a token belongs in the query, which flowkey never shows.
  if (url.username || url.password) return `${shown} must not hold a user name or password`
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `${shown} must be an https: URL`
  if (isOwnOrigin(url, rules.ownOrigin)) return `${shown} is flowkey's own origin: a probe never goes to flowkey itself`
  if (isCdnCgi(url.pathname))
    return `${shown} is under /cdn-cgi/, Cloudflare's own path (under wrangler dev it runs this worker's cron): no Flow endpoint lives there`
  const host = classifyHost(url.hostname)
  if (host.kind === 'never') return `${shown} names ${host.why}, which flowkey never probes: use the endpoint's public https: address`
  if (host.kind === 'local' && !rules.allowPrivate) {
    return `${shown} names ${host.why}: flowkey probes public addresses only (ALLOW_PRIVATE_ENDPOINTS=true allows loopback and private ones, for local use)`
  }
  if (url.protocol === 'http:' && !(host.kind === 'local' && host.loopback)) {
    return `${shown} must use https: (plain http: only on loopback, for local use with ALLOW_PRIVATE_ENDPOINTS=true)`
  }
  return null
}

/** Same host and port, or both on this machine's loopback at the same port (`localhost:8787` is `127.0.0.1:8787`). */
function isOwnOrigin(url: URL, ownOrigin: string | null): boolean {
  if (!ownOrigin) return false
  let own: URL
  try {
    own = new URL(ownOrigin)
  } catch {
    return false
  }
  if (portOf(url) !== portOf(own)) return false
  if (url.hostname.replace(/\.$/, '') === own.hostname.replace(/\.$/, '')) return true
  const here = (u: URL): boolean => {
    const c = classifyHost(u.hostname)
    return (c.kind !== 'public' && c.loopback) || u.hostname === '0.0.0.0' || u.hostname === '[::]'
  }
  return here(url) && here(own)
}

function portOf(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80')
}

/** `/cdn-cgi/…` however it is written: `%63dn-cgi`, `//cdn-cgi`, any case. */
function isCdnCgi(pathname: string): boolean {
  let path = pathname
  try {
    path = decodeURIComponent(pathname)
  } catch {
    // Not valid percent-encoding: checked as written.
  }
  path = path.toLowerCase().replace(/\/{2,}/g, '/')
  return path === '/cdn-cgi' || path.startsWith('/cdn-cgi/')
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

/** For text that is not even a URL: cut at the first `?` or `#` and `@`-prefixed user info, then clip. */
function clipForMessage(text: string): string {
  const noQuery = text.split(/[?#]/, 1)[0] ?? ''
  const noUser = noQuery.replace(/\/\/[^/]*@/, '//')
  return noUser.slice(0, 80)
}
