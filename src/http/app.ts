/** @module The Hono app: config once per env, the route table mounted with its handlers, one error handler. */
import type { Hono } from 'hono'
import { clip } from '../clip'
import { getConfig } from '../config'
import type { AppEnv, Runtime } from './context'
import { limitBody } from './body-limit'
import { errorBody, handleError } from './errors'
import { muteHandlers } from './handlers/mute'
import { notificationHandlers } from './handlers/notifications'
import { operatorHandlers } from './handlers/operator'
import { pageHandlers } from './handlers/pages'
import { publicHandlers } from './handlers/public'
import { createRouteApp, mountRoutes, type Handlers } from './mount'
import { ROUTES } from './routes'
import { securityHeaders } from './security-headers'

export function createApp(runtime: Runtime): Hono<AppEnv> {
  const app = createRouteApp()
  // First, so every answer gets them: errors, 404s and 405s included.
  app.use(securityHeaders)
  app.use(async (c, next) => {
    const { config, problems } = getConfig(c.env)
    c.set('config', config)
    c.set('problems', problems)
    await next()
  })
  // Only where a body can come: the GET key routes stay one middleware shorter (they are the hot path).
  app.on(['POST', 'PUT', 'DELETE', 'PATCH'], '/v1/*', limitBody)
  // One handler per declared route: the type makes a declaration without a handler (or the reverse) a compile error.
  const handlers: Handlers = {
    ...publicHandlers(runtime),
    ...operatorHandlers(runtime),
    ...notificationHandlers(runtime),
    ...muteHandlers(runtime),
    ...pageHandlers(runtime),
  }
  mountRoutes(app, ROUTES, handlers)
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${clip(c.req.method, 10)} ${clip(c.req.path, 80)}: see /openapi.json`), 404))
  app.onError(handleError)
  return app
}
