/** @module AWS End User Messaging Social emulator: GetWhatsAppBusinessPublicKey, Signature Version 4 verified on every request, errors in `x-amzn-ErrorType`. */
import { stylePem } from './keys.js'
import { verifySigV4 } from './sigv4.js'
import { startSourceEmulator, type Answer, type Dialect, type DialectFault, type SourceEmulator } from './source-emulator.js'

export const SIGNING_NAME = 'social-messaging'
const PATH = '/v1/whatsapp/business-public-key'
const ARN = /^arn:aws:social-messaging:[a-z0-9-]+:\d{12}:phone-number-id\/([A-Za-z0-9]{32})$/

/** An AWS rest-json error: the type in the header and in `__type`, with `message`. */
export function awsError(status: number, type: string, message: string): Answer {
  return {
    status,
    headers: { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazonaws.socialmessaging/` },
    body: JSON.stringify({ __type: type, message }),
  }
}

/** The faults as the service's own exceptions. */
const AWS_FAULTS: Record<DialectFault, Answer> = {
  auth: awsError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.'),
  permission: awsError(403, 'AccessDeniedException', 'User is not authorized to perform: social-messaging:GetWhatsAppBusinessPublicKey'),
  'not-found': awsError(404, 'ResourceNotFoundException', 'Phone number not found'),
  'bad-request': awsError(400, 'ValidationException', '1 validation error detected: originationPhoneNumberId'),
  'rate-limit': awsError(429, 'ThrottledRequestException', 'Rate exceeded'),
  'throttle-code': awsError(403, 'AccessDeniedByMetaException', 'Meta denied the request'),
  server: awsError(500, 'InternalServiceException', 'Internal service error'),
  transient: awsError(502, 'DependencyException', 'A dependency failed'),
}

export const awsDialect: Dialect = {
  name: 'aws',
  identify({ method, url, headers }, state) {
    const verdict = verifySigV4({ method, url, headers, body: Buffer.alloc(0) }, SIGNING_NAME, (id) => state.credentials.get(id))
    const given = url.searchParams.get('originationPhoneNumberId') ?? ''
    const id = ARN.exec(given) ? `phone-number-id-${ARN.exec(given)?.[1] ?? ''}` : given
    if (!verdict.ok) return { answer: awsError(403, verdict.type, verdict.message), id }
    if (url.pathname !== PATH) return { answer: awsError(404, 'UnknownOperationException', `No operation at ${url.pathname}`), id }
    if (!id) return { answer: awsError(400, 'ValidationException', 'originationPhoneNumberId is required') }
    const number = state.numbers.get(id)
    // A number lives in one region: asked in another, it is not there.
    if (!number || number.region !== verdict.region)
      return { answer: awsError(404, 'ResourceNotFoundException', `Phone number ${id} not found in ${verdict.region}`), id }
    if (number.credential && number.credential !== verdict.accessKeyId) {
      return { answer: awsError(403, 'AccessDeniedException', 'User is not authorized to perform: social-messaging:GetWhatsAppBusinessPublicKey'), id }
    }
    return { number }
  },
  // Both fields are optional in the model: no key is an answer without businessPublicKey.
  keyAnswer: (number) => ({
    status: 200,
    body: JSON.stringify({
      ...(number.pem === null ? {} : { businessPublicKey: stylePem(number.pem, 'lines') }),
      businessPublicKeySignatureStatus: number.status,
    }),
  }),
  faults: AWS_FAULTS,
}

export function startAwsSocial(opts: { port?: number; log?: (line: string) => void } = {}): Promise<SourceEmulator> {
  return startSourceEmulator(awsDialect, opts)
}
