/** @module This isolate's copies of edge documents: a route that just had the ledger change one drops its copy, so it reads the new one. */
import type { Context } from 'hono'
import { forgetKey } from '../store/cache'
import { JWKS_KEY, numberDocKey } from '../store/kv-keys'
import type { AppEnv } from './context'

export function forgetDocs(c: Context<AppEnv>, phone: string): void {
  forgetKey(c.env.KEYS, numberDocKey(phone))
  forgetKey(c.env.KEYS, JWKS_KEY)
}
