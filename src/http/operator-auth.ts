/** @module Operator routes need `Authorization: Bearer <ADMIN_TOKEN>`; without ADMIN_TOKEN they stay shut. */
import { createMiddleware } from 'hono/factory'
import { FlowkeyError } from '../errors'
import type { AppEnv } from './context'

export const requireOperator = createMiddleware<AppEnv>(async (c, next) => {
  const token = c.var.config.adminToken
  if (!token) throw new FlowkeyError('unauthorized', 'Operator routes are disabled: set the ADMIN_TOKEN secret to use them')
  const given = /^Bearer\s+(.+)$/i.exec(c.req.header('Authorization') ?? '')?.[1]?.trim()
  if (!given || !(await sameSecret(given, token.reveal()))) {
    throw new FlowkeyError('unauthorized', 'A valid "Authorization: Bearer <ADMIN_TOKEN>" header is required')
  }
  await next()
})

/** Compares digests in constant time, so neither length nor content leaks through timing. */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const encoder = new TextEncoder()
  const [a, b] = await Promise.all([crypto.subtle.digest('SHA-256', encoder.encode(given)), crypto.subtle.digest('SHA-256', encoder.encode(expected))])
  return crypto.subtle.timingSafeEqual(a, b)
}
