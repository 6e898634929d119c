/**
 * @module The `z` the route schemas are written with: zod, whose `.openapi(...)` facts are read only when
 * `npm run openapi:build` writes /openapi.json. In the Worker `.openapi()` returns its schema unchanged, so the
 * OpenAPI generator (zod-to-openapi) stays out of the bundle; the build script loads the real one first.
 */
import type {} from '@hono/zod-openapi'
import { z } from 'zod'

const prototype = z.ZodType.prototype as unknown as { openapi?: (...args: unknown[]) => unknown }
// The build script extends zod before this module runs; the Worker never does.
prototype.openapi ??= function openapi(this: unknown) {
  return this
}

export { z }
