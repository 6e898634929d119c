/** @module The one place error codes become HTTP statuses and JSON bodies. */
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { FlowkeyError, type ErrorCode } from '../errors'
import { InvalidRequestError } from './json-body'

const STATUS_BY_CODE: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  invalid_phone: 400,
  invalid_request: 400,
  unauthorized: 401,
  unknown_number: 404,
  no_key: 404,
  no_endpoint: 404,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  unsupported_media_type: 415,
  not_implemented: 501,
  misconfigured: 503,
  stale: 503,
  no_check_yet: 503,
  needs_attention: 503,
  payload_too_large: 413,
}

export function statusFor(code: ErrorCode): ContentfulStatusCode {
  return STATUS_BY_CODE[code] ?? 500
}

export function errorBody(code: ErrorCode, message: string): { error: { code: ErrorCode; message: string } } {
  return { error: { code, message } }
}

/** Hono's onError: known errors keep their code; anything else is logged and answered without its details. */
export function handleError(err: Error, c: Context): Response {
  c.header('Cache-Control', 'no-store')
  // RFC 6750 §3: a 401 names the scheme the client should use.
  if (err instanceof FlowkeyError && err.code === 'unauthorized') c.header('WWW-Authenticate', 'Bearer realm="flowkey"')
  if (err instanceof InvalidRequestError && err.entries) {
    return c.json({ error: { ...errorBody(err.code, err.message).error, entries: err.entries } }, statusFor(err.code))
  }
  if (err instanceof FlowkeyError) return c.json(errorBody(err.code, err.message), statusFor(err.code))
  // The validators throw these for bodies they cannot read (malformed JSON, a media type the route does not take).
  if (err instanceof HTTPException && err.status === 415) {
    return c.json(errorBody('unsupported_media_type', 'This route does not take that Content-Type: see /openapi.json'), 415)
  }
  if (err instanceof HTTPException && err.status === 400) {
    return c.json(errorBody('invalid_request', `The request could not be read: ${err.message}`), 400)
  }
  console.error(JSON.stringify({ msg: 'unhandled error', level: 'error', path: c.req.path, error: err.message }))
  return c.json(errorBody('internal_error', 'Something went wrong inside flowkey; the error has been logged'), 500)
}
