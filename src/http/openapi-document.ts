/**
 * @module Builds the OpenAPI 3.1 document from the route table: run at build time (`npm run openapi:build`
 * writes assets/openapi.json, which the Worker serves from static assets), never in the Worker, so the generator is not bundled.
 */
// First: it teaches zod `.openapi()` before the schemas are declared (schemas/z.ts then leaves it alone).
import { OpenAPIHono } from '@hono/zod-openapi'
import type { RouteDeclaration } from './declare'
import { ROUTES } from './routes'

export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'flowkey',
    version: '0.1.0',
    description: 'Watches the WhatsApp Flows business encryption public key of Kaleyra business numbers and serves it as a JWKS.',
  },
}

export function buildOpenapiDocument(): object {
  const app = new OpenAPIHono()
  for (const decl of Object.values(ROUTES) as RouteDeclaration[]) app.openAPIRegistry.registerPath(decl.route)
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' })
  return app.getOpenAPI31Document(OPENAPI_INFO)
}
