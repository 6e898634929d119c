/** @module A size cap on what callers send: operator bodies (a 10,000-entry import included) fit, a runaway upload does not. */
import { bodyLimit } from 'hono/body-limit'
import { FlowkeyError } from '../errors'

/** 10,000 import entries of about 100 bytes are 1 MB; twice that leaves room for longer endpoint URLs. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024

export const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new FlowkeyError('payload_too_large', `The body is larger than ${MAX_BODY_BYTES / (1024 * 1024)} MiB; send at most 10,000 entries per request`)
  },
})
