/** @module A size cap on what callers send: operator bodies (a 10,000-entry import included) fit, a runaway upload does not. */
import { bodyLimit } from 'hono/body-limit'
import { FlowkeyError } from '../errors'
import { MAX_BODY_BYTES, MAX_IMPORT_ENTRIES } from '../rules/limits'

export { MAX_BODY_BYTES }

export const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new FlowkeyError(
      'payload_too_large',
      `The body is larger than ${MAX_BODY_BYTES / (1024 * 1024)} MiB; send at most ${MAX_IMPORT_ENTRIES.toLocaleString('en')} entries per request`,
    )
  },
})
