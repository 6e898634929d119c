/** @module Turns the route table into a Hono app: validators, operator check, CORS and 405 with Allow, all derived (the OpenAPI document is built from the same table: openapi-document.ts). */
import { Hono, type MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import { createMiddleware } from 'hono/factory'
import { validator } from 'hono/validator'
import type { ZodError, ZodType } from 'zod'
import { clip } from '../clip'
import { FlowkeyError } from '../errors'
import { notAPhone } from '../phone'
import type { AppEnv } from './context'
import type { RouteDeclaration, RouteHandlerOf } from './declare'
import { errorBody } from './errors'
import { jsonBody } from './json-body'
import { requireOperator } from './operator-auth'
import { CROSS_ORIGIN_RESOURCE } from './security-headers'
import type { Routes } from './routes'

export type Handlers = { [K in keyof Routes]: RouteHandlerOf<Routes[K]> }

export function createRouteApp(): Hono<AppEnv> {
  return new Hono<AppEnv>()
}

/** Validation failures are 400 with the documented error body; a phone in the path keeps its own code. */
function validate(target: 'query' | 'param', schema: ZodType): MiddlewareHandler<AppEnv> {
  return validator(target, async (value, c) => {
    const result = await schema.safeParseAsync(value)
    if (result.success) return result.data as object
    c.header('Cache-Control', 'no-store')
    if (target === 'param') {
      return c.json(errorBody('invalid_phone', notAPhone(String(c.req.param('phone') ?? ''))), 400)
    }
    return c.json(errorBody('invalid_request', describeIssues(target, result.error)), 400)
  }) as unknown as MiddlewareHandler<AppEnv>
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
export function mountRoute(app: Hono<AppEnv>, decl: RouteDeclaration, handler: RouteHandlerOf<RouteDeclaration>): void {
  const middleware: MiddlewareHandler<AppEnv>[] = []
  if (decl.cors) middleware.push(corsHeaders)
  if (decl.access === 'operator') middleware.push(requireOperator)
  if (!decl.lean) {
    const request = decl.route.request
    const body = request?.body
    const media = body?.content['application/json']
    const jsonSchema = media && 'schema' in media ? media.schema : undefined
    if (body && jsonSchema && isZod(jsonSchema)) {
      // The lenient reader (json-body.ts) validates the body, whatever Content-Type the client sent.
      const passThrough = Object.keys(body.content).filter((type) => type !== 'application/json')
      middleware.push(
        jsonBody({
          schema: jsonSchema,
          required: body.required ?? false,
          passThrough,
          describe: (issues) => describeIssues('json', { issues } as Pick<ZodError, 'issues'>),
        }),
      )
    }
    if (request?.query && isZod(request.query)) middleware.push(validate('query', request.query))
    if (request?.params && isZod(request.params)) middleware.push(validate('param', request.params))
  }
  app.on([decl.route.method.toUpperCase()], [honoPath(decl.route.path)], ...middleware, handler as unknown as MiddlewareHandler<AppEnv>)
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

export function mountRoutes(app: Hono<AppEnv>, routes: Routes, handlers: Handlers): void {
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
}

function isZod(value: unknown): value is ZodType {
  return typeof value === 'object' && value !== null && typeof (value as { safeParse?: unknown }).safeParse === 'function'
}
