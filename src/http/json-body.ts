/**
 * @module Reads a declared JSON body whatever Content-Type the client sent (curl and fetch often send none or text/plain),
 * validates it against the declaration's schema, and hands it to the handler as `c.req.valid('json')`.
 */
import type { MiddlewareHandler } from 'hono'
import type { ZodType } from 'zod'
import { clip } from '../clip'
import { FlowkeyError } from '../errors'
import type { AppEnv } from './context'
import { MAX_BODY_BYTES } from '../rules/limits'

export interface JsonBodyOptions {
  schema: ZodType
  required: boolean
  /** Other media types the route takes as they are (text/csv): the handler reads those itself. */
  passThrough: readonly string[]
  describe: (issues: readonly { path: PropertyKey[]; message: string }[]) => string
}

export interface BadEntry {
  index: number
  phone: string | null
  message: string
}

/** A body that fails its schema; for a list body (`{"numbers":[...]}`) every bad entry is named, so one answer fixes them all. */
export class InvalidRequestError extends FlowkeyError {
  readonly entries: BadEntry[] | undefined
  constructor(message: string, entries?: BadEntry[]) {
    super('invalid_request', message)
    this.entries = entries && entries.length > 0 ? entries : undefined
  }
}

/** Issues under `<list>[i]` of a top-level list, one entry per index with every message for it. */
function entriesOf(value: unknown, issues: readonly { path: PropertyKey[]; message: string }[]): BadEntry[] {
  const byIndex = new Map<number, BadEntry>()
  for (const issue of issues) {
    const [list, index, ...rest] = issue.path
    if (typeof list !== 'string' || typeof index !== 'number') continue
    const item = (value as Record<string, unknown[]>)[list]?.[index] as { phone?: unknown } | undefined
    const message = `${rest.length ? `"${rest.join('.')}": ` : ''}${issue.message}`
    const entry = byIndex.get(index)
    if (entry) entry.message += `; ${message}`
    else byIndex.set(index, { index, phone: typeof item?.phone === 'string' ? clip(item.phone) : null, message })
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index)
}

export function jsonBody(options: JsonBodyOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0].trim().toLowerCase()
    if (options.passThrough.includes(mediaType)) return next()
    const text = await c.req.text()
    if (text.length > MAX_BODY_BYTES) throw new FlowkeyError('invalid_request', `The body is larger than ${MAX_BODY_BYTES} bytes`)
    let value: unknown = {}
    if (text.trim()) {
      try {
        value = JSON.parse(text)
      } catch {
        throw new FlowkeyError('invalid_request', 'The body is not valid JSON')
      }
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new FlowkeyError('invalid_request', 'The body must be a JSON object')
    } else if (options.required) {
      throw new FlowkeyError('invalid_request', 'This route needs a JSON body: see /openapi.json')
    }
    const result = options.schema.safeParse(value)
    if (!result.success) throw new InvalidRequestError(options.describe(result.error.issues), entriesOf(value, result.error.issues))
    c.req.addValidatedData('json', result.data as object)
    await next()
  }
}
