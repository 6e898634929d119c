/** @module Operator routes need `Authorization: Bearer <ADMIN_TOKEN>`; without ADMIN_TOKEN they stay shut. */
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { FlowkeyError } from '../errors'
import type { AppEnv } from './context'

export const requireOperator = createMiddleware<AppEnv>(async (c, next) => {
  const token = c.var.config.adminToken
  if (!token) throw new FlowkeyError('unauthorized', 'Operator routes are disabled: set the ADMIN_TOKEN secret to use them')
  const given = bearerToken(c.req.header('Authorization'))
  if (!given || !(await sameSecret(given, token.reveal()))) {
    throw new FlowkeyError('unauthorized', 'A valid "Authorization: Bearer <ADMIN_TOKEN>" header is required')
  }
  await next()
})

/**
 * The token after `Bearer `, read without a regular expression: `/^Bearer\s+(.+)$/` backtracks
 * quadratically on a header of spaces that ends in a line break.
 */
export function bearerToken(header: string | undefined): string | null {
  if (!header || header.length < 7 || header.slice(0, 6).toLowerCase() !== 'bearer') return null
  const separator = header.charCodeAt(6)
  if (separator !== 32 && separator !== 9) return null
  const token = header.slice(7).trim()
  return token ? token : null
}

/** Compares digests in constant time, so neither length nor content leaks through timing. */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const encoder = new TextEncoder()
  const [a, b] = await Promise.all([crypto.subtle.digest('SHA-256', encoder.encode(given)), crypto.subtle.digest('SHA-256', encoder.encode(expected))])
  return crypto.subtle.timingSafeEqual(a, b)
}

/** For routes that answer everyone but tell operators more (history): true only with the right token. */
export async function isOperator(c: Context<AppEnv>): Promise<boolean> {
  const token = c.var.config.adminToken
  const given = bearerToken(c.req.header('Authorization'))
  return Boolean(token && given && (await sameSecret(given, token.reveal())))
}
