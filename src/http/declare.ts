/** @module What a route declaration holds besides its OpenAPI facts: who may call it, whether browsers elsewhere may, and whether it skips schema validation. */
import type { RouteConfig, RouteHandler } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { errorResponse } from './schemas/common'
import type { AppEnv } from './context'

export type Access = 'public' | 'operator'

export interface RouteOptions<Lean extends boolean> {
  /** `operator` routes get the bearer-token check and `security` in the document: the flag is the only way to say it. */
  access: Access
  /** Sends `Access-Control-Allow-Origin: *` and answers preflights. */
  cors?: boolean
  /**
   * The key-serving hot path: the schemas document the route, but no validator runs;
   * the handler parses its phone itself (BENCHMARKS.md's serving target).
   */
  lean?: Lean
}

export interface RouteDeclaration<R extends RouteConfig = RouteConfig, Lean extends boolean = boolean> {
  route: R
  access: Access
  cors: boolean
  lean: Lean
}

const OPERATOR_SECURITY = [{ bearer: [] }]

/** One route, once: its OpenAPI operation (from which validation is derived) and its access flags. */
export function defineRoute<const R extends RouteConfig, const Lean extends boolean = false>(
  options: RouteOptions<Lean>,
  config: R,
): RouteDeclaration<R, Lean> {
  const responses = { ...config.responses }
  if (options.access === 'operator')
    responses[401] = errorResponse('unauthorized: the Authorization: Bearer <ADMIN_TOKEN> header is missing or wrong, or ADMIN_TOKEN is unset')
  const hasInput = Boolean(config.request?.params || config.request?.query || config.request?.body)
  if (hasInput && !responses[400]) responses[400] = errorResponse('invalid_request (or invalid_phone for a phone in the path)')
  const route = { ...config, responses, security: options.access === 'operator' ? OPERATOR_SECURITY : [] }
  return { route: route as R, access: options.access, cors: options.cors ?? false, lean: (options.lean ?? false) as Lean }
}

/** The context a handler gets: validated input typed from the schemas, or for lean routes the raw request only. */
export type RouteContext<D> =
  D extends RouteDeclaration<infer R, infer Lean> ? (Lean extends true ? Context<AppEnv, string> : Parameters<RouteHandler<R, AppEnv>>[0]) : never

/**
 * Handlers answer a plain Response: JSON bodies are checked against the declared schemas by the
 * response-validation tests, which also cover ETag and HTML answers that Hono's typed responses cannot express.
 */
export type RouteHandlerOf<D> = (c: RouteContext<D>) => Response | Promise<Response>
