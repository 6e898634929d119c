/**
 * @module Security headers on every answer, through Hono's secureHeaders(): nosniff everywhere (JSON errors echo the
 * path), and a Content-Security-Policy that fits the pages: no script at all, inline style, `data:` images, no framing.
 */
import { secureHeaders } from 'hono/secure-headers'

/** The pages hold one inline <style>, a `data:` icon and a GET search form; nothing else may load or run. */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  styleSrc: ["'unsafe-inline'"],
  imgSrc: ['data:'],
  formAction: ["'self'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
}

/** Public keys are read by other origins' pages and tools: the key routes say so, and this middleware keeps what they say. */
export const CROSS_ORIGIN_RESOURCE = ['Cross-Origin-Resource-Policy', 'cross-origin'] as const

export const securityHeaders = secureHeaders({
  contentSecurityPolicy: CONTENT_SECURITY_POLICY,
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
  // A header a route set itself (the key routes' cross-origin resource policy) stands.
  overwrite: false,
})
