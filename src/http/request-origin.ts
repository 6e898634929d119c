/** @module Where a request reached flowkey: an endpoint URL naming it is refused, so a probe never comes back to flowkey. */
import type { Context } from 'hono'
import type { AppEnv } from './context'

export function originOf(c: Context<AppEnv>): string {
  return new URL(c.req.url).origin
}
