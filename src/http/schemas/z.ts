/**
 * @module The `z` the route schemas are written with (`import * as z from './z'`): zod, whose `.openapi(...)` facts
 * are read only when `npm run openapi:build` writes /openapi.json. In the Worker `.openapi()` returns its schema
 * unchanged, so the OpenAPI generator (zod-to-openapi) stays out of the bundle; the build script loads the real one
 * first. Re-exported by name, not as zod's `z` object, so the bundler keeps only the parts of zod in use.
 */
import type {} from '@hono/zod-openapi'
import { ZodType } from 'zod'

const prototype = ZodType.prototype as unknown as { openapi?: (...args: unknown[]) => unknown }
// The build script extends zod before this module runs; the Worker never does.
prototype.openapi ??= function openapi(this: unknown) {
  return this
}

// The one place zod is re-exported whole: consumers read it by name (`z.object`), which the bundler can trim.
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
export * from 'zod'
