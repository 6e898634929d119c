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

export function createApp(runtime: Runtime): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(async (c, next) => {
    const { config, problems } = getConfig(c.env)
    c.set('config', config)
    c.set('problems', problems)
    await next()
  })
  // Keys are public material meant for other origins' tooling; operator routes need no browser access.
  for (const path of ['/.well-known/*', '/v1/numbers/:phone/jwks.json', '/v1/numbers/:phone/key', '/v1/numbers/:phone/history', '/healthz']) {
    app.use(path, cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: ['ETag'] }))
  }
  app.route('/', publicRoutes(runtime))
  app.route('/', operatorRoutes(runtime))
  app.route('/', notificationRoutes(runtime))
  app.route('/', pageRoutes(runtime))
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}: see /openapi.json`), 404))
  app.onError(handleError)
  return app
}
