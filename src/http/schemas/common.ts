/** @module Schemas every route shares: the error body, the phone path parameter, problems, and the JSON and HTML helpers. */
import * as z from './z'
import { PHONE_PATTERN } from '../../rules/phone-rule'

export { PHONE_PATTERN }

/** `?label=`: one customer's numbers only; a label no number carries is an empty view. */
export const LabelParam = z
  .string()
  .max(40)
  .optional()
  .openapi({ param: { name: 'label', in: 'query' }, description: 'Only the numbers carrying this label' })

export const PhoneParams = z.object({
  phone: z
    .string()
    .regex(PHONE_PATTERN)
    .openapi({
      param: { name: 'phone', in: 'path' },
      description: 'Business number: +919876543210, %2B919876543210 or 919876543210 (8 to 15 digits)',
      example: '+919876543210',
    }),
})

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ description: 'Stable snake_case code', example: 'invalid_phone' }),
      message: z.string().openapi({ description: 'A sentence for people' }),
      entries: z
        .array(z.object({ index: z.number().int(), line: z.number().int().optional(), phone: z.string().nullable(), message: z.string() }))
        .optional()
        .openapi({ description: 'POST /v1/numbers: every bad entry (index from 0; line in a CSV file; phone clipped to 40 characters)' }),
    }),
  })
  .openapi('Error')

export const ProblemSchema = z.object({ name: z.string(), message: z.string() }).openapi('ConfigProblem')

export function json<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } }
}

export function errorResponse(description: string) {
  return json(description, ErrorSchema)
}

export function htmlPage(description: string) {
  return { description, content: { 'text/html': { schema: z.string() } } }
}

export const NOT_MODIFIED = { description: 'Not modified: the client holds this ETag already' }
