/** @module Turns the route table into a Hono app: validators, operator check, CORS, 405 with Allow and the OpenAPI document, all derived. */
import { OpenAPIHono, type RouteConfig, type RouteHandler } from '@hono/zod-openapi'
import { cors } from 'hono/cors'
import { createMiddleware } from 'hono/factory'
import type { MiddlewareHandler } from 'hono'
import type { ZodError, ZodType } from 'zod'
import { clip } from '../clip'
import { FlowkeyError } from '../errors'
import type { AppEnv } from './context'
import type { RouteDeclaration, RouteHandlerOf } from './declare'
import { errorBody } from './errors'
import { jsonBody } from './json-body'
import { requireOperator } from './operator-auth'
import { CROSS_ORIGIN_RESOURCE } from './security-headers'
import type { Routes } from './routes'

export type Handlers = { [K in keyof Routes]: RouteHandlerOf<Routes[K]> }

export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'flowkey',
    version: '0.1.0',
    description: 'Watches the WhatsApp Flows business encryption public key of Kaleyra business numbers and serves it as a JWKS.',
  },
}

/** Validation failures are 400 with the documented error body; a phone in the path keeps its own code. */
export function createRouteApp(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return undefined
      c.header('Cache-Control', 'no-store')
      if (result.target === 'param') {
        return c.json(
          errorBody('invalid_phone', `"${clip(String(c.req.param('phone') ?? ''))}" is not a phone number: expected 8 to 15 digits after an optional +`),
          400,
        )
      }
      return c.json(errorBody('invalid_request', describeIssues(result.target, result.error)), 400)
    },
  })
}

function describeIssues(target: string, error: Pick<ZodError, 'issues'>): string {
  const where = target === 'json' ? 'body' : target
  const issues = error.issues.slice(0, 5).map((issue) => `${issue.path.length ? `"${issue.path.join('.')}"` : 'the ' + where}: ${issue.message}`)
  return `Invalid ${where}: ${issues.join('; ')}`
}

/** Keys are public material meant for other origins' tooling. cors() copies every response (BENCHMARKS.md), so it only answers preflights. */
const preflight = cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: ['ETag'] })
const corsHeaders = createMiddleware<AppEnv>(async (c, next) => {
  c.header('Access-Control-Allow-Origin', '*')
  c.header('Access-Control-Expose-Headers', 'ETag')
  c.header(...CROSS_ORIGIN_RESOURCE)
  await next()
})

export function honoPath(openapiPath: string): string {
  return openapiPath.replace(/\{([^}]+)\}/g, ':$1')
}

/** Mounts one declaration: the flags become middleware here, so no route can forget them. */
export function mountRoute(app: OpenAPIHono<AppEnv>, decl: RouteDeclaration, handler: RouteHandlerOf<RouteDeclaration>): void {
  const middleware: MiddlewareHandler<AppEnv>[] = []
  if (decl.cors) middleware.push(corsHeaders)
  if (decl.access === 'operator') middleware.push(requireOperator)
  if (decl.lean) {
    app.openAPIRegistry.registerPath(decl.route)
    app.on([decl.route.method.toUpperCase()], [honoPath(decl.route.path)], ...middleware, handler as unknown as MiddlewareHandler<AppEnv>)
    return
  }
  const body = decl.route.request?.body
  const media = body?.content['application/json']
  const jsonSchema = media && 'schema' in media ? media.schema : undefined
  if (body && jsonSchema && isZod(jsonSchema)) {
    // The document keeps the body; the lenient reader (json-body.ts) validates it instead of the strict built-in one.
    app.openAPIRegistry.registerPath(decl.route)
    const passThrough = Object.keys(body.content).filter((type) => type !== 'application/json')
    middleware.push(
      jsonBody({
        schema: jsonSchema,
        required: body.required ?? false,
        passThrough,
        describe: (issues) => describeIssues('json', { issues } as Pick<ZodError, 'issues'>),
      }),
    )
    const { body: _documented, ...request } = decl.route.request ?? {}
    app.openapi({ ...decl.route, request, middleware, hide: true } as RouteConfig, handler as unknown as RouteHandler<RouteConfig, AppEnv>)
    return
  }
  // Handlers answer plain Responses (declare.ts says why); the schemas still type their input.
  app.openapi({ ...decl.route, middleware } as RouteConfig, handler as unknown as RouteHandler<RouteConfig, AppEnv>)
}

/** The methods each path answers, from the table; GET brings HEAD. */
export function allowedMethods(routes: Routes): Map<string, string[]> {
  const byPath = new Map<string, string[]>()
  for (const decl of Object.values(routes) as RouteDeclaration[]) {
    const methods = byPath.get(decl.route.path) ?? []
    const method = decl.route.method.toUpperCase()
    methods.push(...(method === 'GET' ? ['GET', 'HEAD'] : [method]))
    byPath.set(decl.route.path, methods)
  }
  return byPath
}

export function mountRoutes(app: OpenAPIHono<AppEnv>, routes: Routes, handlers: Handlers): void {
  for (const name of Object.keys(routes) as (keyof Routes)[]) {
    mountRoute(app, routes[name], handlers[name] as RouteHandlerOf<RouteDeclaration>)
  }
  const corsPaths = new Set((Object.values(routes) as RouteDeclaration[]).filter((d) => d.cors).map((d) => d.route.path))
  for (const [path, allow] of allowedMethods(routes)) {
    if (corsPaths.has(path)) app.options(honoPath(path), preflight)
    // A known path asked with another method is 405 with Allow, not 404.
    app.all(honoPath(path), (c) => {
      c.header('Allow', allow.join(', '))
      // Other origins read a key route's 405 too, as they read its answers.
      if (corsPaths.has(path)) {
        c.header('Access-Control-Allow-Origin', '*')
        c.header('Access-Control-Expose-Headers', 'ETag')
        c.header(...CROSS_ORIGIN_RESOURCE)
      }
      throw new FlowkeyError('method_not_allowed', `${clip(c.req.method, 10)} is not allowed on ${clip(c.req.path, 80)}: use ${allow.join(' or ')}`)
    })
  }
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' })
}

function isZod(value: unknown): value is ZodType {
  return typeof value === 'object' && value !== null && typeof (value as { safeParse?: unknown }).safeParse === 'function'
}
