/** @module The Hono app: config once per env, public and operator routes, one error handler. */
import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { getConfig } from '../config'
import type { AppEnv, Runtime } from './context'
import { errorBody, handleError } from './errors'
import { notificationRoutes } from './routes/notifications'
import { operatorRoutes } from './routes/operator'
import { pageRoutes } from './routes/pages'
import { publicRoutes } from './routes/public'

const ROUTE_METHODS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['/healthz', ['GET', 'HEAD']],
  ['/.well-known/jwks.json', ['GET', 'HEAD']],
  ['/v1/numbers/:phone/jwks.json', ['GET', 'HEAD']],
  ['/v1/numbers/:phone/key', ['GET', 'HEAD']],
  ['/v1/numbers/:phone/history', ['GET', 'HEAD']],
  ['/v1/status', ['GET', 'HEAD']],
  ['/v1/check', ['POST']],
  ['/v1/numbers', ['GET', 'HEAD', 'POST']],
  ['/v1/numbers/:phone', ['PUT', 'DELETE']],
  ['/v1/numbers/:phone/probe', ['POST']],
  ['/v1/notify/test', ['POST']],
  ['/', ['GET', 'HEAD']],
  ['/openapi.json', ['GET', 'HEAD']],
]

export function createApp(runtime: Runtime): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(async (c, next) => {
    const { config, problems } = getConfig(c.env)
    c.set('config', config)
    c.set('problems', problems)
    await next()
  })
  // Keys are public material meant for other origins' tooling; operator routes need no browser access.
  // Hono's cors() copies the response around every request (a quarter of the hot path's time,
  // BENCHMARKS.md), so it only answers preflights; the two headers are set directly.
  const preflight = cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: ['ETag'] })
  for (const path of ['/.well-known/*', '/v1/numbers/:phone/jwks.json', '/v1/numbers/:phone/key', '/v1/numbers/:phone/history', '/healthz']) {
    app.use(path, async (c, next) => {
      if (c.req.method === 'OPTIONS') return preflight(c, next)
      c.header('Access-Control-Allow-Origin', '*')
      c.header('Access-Control-Expose-Headers', 'ETag')
      await next()
    })
  }
  app.route('/', publicRoutes(runtime))
  app.route('/', operatorRoutes(runtime))
  app.route('/', notificationRoutes(runtime))
  app.route('/', pageRoutes(runtime))
  // A known path asked with another method is 405 with Allow, not 404.
  for (const [path, allow] of ROUTE_METHODS) {
    app.all(path, (c) => {
      c.header('Allow', allow.join(', '))
      return c.json(errorBody('method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}: use ${allow.join(' or ')}`), 405)
    })
  }
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}: see /openapi.json`), 404))
  app.onError(handleError)
  return app
}
