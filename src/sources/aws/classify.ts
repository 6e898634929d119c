/** @module Reads AWS's rest-json answer (`businessPublicKey`, its status) and its error types into a key, no key, or a coded failure. */
import type { SourceReason } from '../../errors'
import type { Redact } from '../../secrets/redact'
import { clip, describeBody, failureOfStatus, isObject, keyOf, parseJson } from '../answer-parts'
import type { KeyAnswer, RawAnswer } from '../source'
import { SourceError } from '../source-error'

const WORDS = 'AWS End User Messaging Social'

/** `x-amzn-ErrorType` (or the body's `__type`) to a reason: the operation's documented errors and AWS's common ones. */
const ERROR_TYPES: ReadonlyMap<string, SourceReason> = new Map([
  ['UnrecognizedClientException', 'auth_failed'],
  ['InvalidSignatureException', 'auth_failed'],
  ['ExpiredTokenException', 'auth_failed'],
  ['InvalidClientTokenId', 'auth_failed'],
  ['IncompleteSignature', 'auth_failed'],
  ['MissingAuthenticationTokenException', 'auth_failed'],
  ['AccessDeniedException', 'permission_denied'],
  ['AccessDeniedByMetaException', 'permission_denied'],
  ['ResourceNotFoundException', 'not_found'],
  ['InvalidParametersException', 'bad_request'],
  ['ValidationException', 'bad_request'],
  ['ThrottledRequestException', 'rate_limited'],
  ['ThrottlingException', 'rate_limited'],
  ['TooManyRequestsException', 'rate_limited'],
  ['InternalServiceException', 'server_error'],
  ['DependencyException', 'server_error'],
  ['ServiceUnavailableException', 'server_error'],
])

/** Pure: a 200 with the key (or without it: no key), or an error named by its type. */
export function classifyAwsAnswer(raw: RawAnswer, redact: Redact): KeyAnswer {
  const json = parseJson(raw.body)
  const type = errorTypeOf(raw.errorType, isObject(json) ? json.__type : undefined)
  if (raw.status >= 200 && raw.status <= 299 && type === null) {
    if (!isObject(json))
      throw failureOfStatus('aws', raw, `${WORDS} answered ${raw.status} with a body that is not a JSON object (${describeBody(raw, redact)})`)
    return keyOf('aws', json.businessPublicKey, json.businessPublicKeySignatureStatus, raw, redact, `${WORDS}'s businessPublicKeySignatureStatus`)
  }
  const said = isObject(json) ? (json.message ?? json.Message) : undefined
  const detail = typeof said === 'string' ? `: ${clip(said, redact)}` : json === undefined ? ` (${describeBody(raw, redact)})` : ''
  const reason = type === null ? undefined : ERROR_TYPES.get(type)
  const message = `${WORDS} answered ${raw.status}${type === null ? '' : ` ${clip(type, redact).slice(0, 60)}`}${detail}`
  if (!reason) throw failureOfStatus('aws', raw, message)
  throw new SourceError(`aws_${reason}`, message, { status: raw.status, retryAfterMs: reason === 'rate_limited' ? raw.retryAfterMs : null })
}

/** `AccessDeniedException:http://…` in the header, or `com.amazonaws…#AccessDeniedException` in the body: the name alone. */
function errorTypeOf(header: string | null, bodyType: unknown): string | null {
  const raw = header ?? (typeof bodyType === 'string' ? bodyType : null)
  if (!raw) return null
  const name = raw.split(':')[0]?.split('#').pop()?.trim() ?? ''
  return /^[A-Za-z]{1,80}$/.test(name) ? name : null
}
