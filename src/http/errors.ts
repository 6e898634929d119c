/** @module The one place error codes become HTTP statuses and JSON bodies. */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { FlowkeyError, type ErrorCode } from '../errors'

const STATUS_BY_CODE: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  invalid_phone: 400,
  invalid_request: 400,
  unauthorized: 401,
  unknown_number: 404,
  no_key: 404,
  no_endpoint: 404,
  not_found: 404,
  method_not_allowed: 405,
  misconfigured: 503,
  stale: 503,
  no_check_yet: 503,
  attention: 503,
  payload_too_large: 413,
  conflict: 409,
}

export function statusFor(code: ErrorCode): ContentfulStatusCode {
  return STATUS_BY_CODE[code] ?? 500
}

export function errorBody(code: ErrorCode, message: string): { error: { code: ErrorCode; message: string } } {
  return { error: { code, message } }
}

/** Hono's onError: known errors keep their code; anything else is logged and answered without its details. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof FlowkeyError) {
    c.header('Cache-Control', 'no-store')
    return c.json(errorBody(err.code, err.message), statusFor(err.code))
  }
  console.error(JSON.stringify({ msg: 'unhandled error', level: 'error', path: c.req.path, error: err.message }))
  return c.json(errorBody('internal_error', 'Something went wrong inside flowkey; the error has been logged'), 500)
}
