/**
 * @module Zod's JSON Schema generator left out of the Worker: wrangler.toml's [alias] points zod's `./to-json-schema.js`
 * here. /openapi.json is written at build time by `npm run openapi:build` (plain Node, real zod), so the Worker never
 * converts a schema; `z.toJSONSchema` is reachable from `z`, so without this the bundler keeps all 12 KB of it.
 */
export class JSONSchemaGenerator {
  constructor() {
    throw new TypeError('JSON Schema generation is not part of the Worker: run `npm run openapi:build`')
  }
}

export function toJSONSchema(): never {
  throw new TypeError('JSON Schema generation is not part of the Worker: run `npm run openapi:build`')
}
