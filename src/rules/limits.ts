/** @module Limits callers see, stated once: the routes, their schemas, the CLI and the README read them from here. */

/** Entries of one bulk import (`POST /v1/numbers`, JSON or CSV); `npx flowkey numbers import` sends larger files in requests of this many. */
export const MAX_IMPORT_ENTRIES = 10_000

/** Bytes of a request body: MAX_IMPORT_ENTRIES entries of about 100 bytes are 1 MB; twice that leaves room for longer endpoint URLs. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024
