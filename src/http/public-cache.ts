/** @module Headers for the public key routes: ETag with 304, brief shared caching that may serve stale on error, CORS. */
import type { Context } from 'hono'

/**
 * Browsers and CDNs may keep a key for 15 s and revalidate for 5 s more; on an
 * origin error they may serve the last copy for a day (a key that still works beats none).
 */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=15, stale-while-revalidate=5, stale-if-error=86400'

/** Answers 304 when the client holds `etag` already, else the body with its headers. */
export function servePublic(c: Context, body: string, etag: string, contentType = 'application/json; charset=utf-8'): Response {
  c.header('ETag', etag)
  c.header('Cache-Control', PUBLIC_CACHE_CONTROL)
  c.header('Vary', 'Accept')
  if (matchesEtag(c.req.header('If-None-Match'), etag)) return c.body(null, 304)
  c.header('Content-Type', contentType)
  return c.body(body, 200)
}

/** RFC 9110 §13.1.2: weak comparison, a list of tags, or `*`. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false
  const bare = etag.replace(/^W\//, '')
  return header.split(',').some((tag) => {
    const t = tag.trim()
    return t === '*' || t.replace(/^W\//, '') === bare
  })
}
