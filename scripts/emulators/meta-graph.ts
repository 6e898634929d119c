/** @module Meta Graph API emulator: `GET /{version}/{phone_number_id}/whatsapp_business_encryption` with a bearer token per number, both answer shapes and the Graph error envelope. */
import { stylePem } from './keys.js'
import { startSourceEmulator, type Answer, type Dialect, type DialectFault, type SourceEmulator, type SourceNumber } from './source-emulator.js'

const PATH = /^\/(v\d+\.\d+)\/([^/]+)\/whatsapp_business_encryption$/
const FIELDS = new Set(['business_public_key', 'business_public_key_signature_status'])

/** Meta's envelope: `{"error":{"message","type","code","error_subcode","fbtrace_id","is_transient"}}`. */
export function graphError(status: number, code: number, message: string, extra: { subcode?: number; transient?: boolean; type?: string } = {}): Answer {
  const error = {
    message,
    type: extra.type ?? (code === 190 ? 'OAuthException' : 'GraphMethodException'),
    code,
    ...(extra.subcode === undefined ? {} : { error_subcode: extra.subcode }),
    is_transient: extra.transient ?? false,
    fbtrace_id: 'AbCdEfGhIjKlMnO',
  }
  return { status, body: JSON.stringify({ error }) }
}

/** Meta's own example of MISMATCH carries a key that is a single space: the emulator answers a removed key so. */
export function graphKeyBody(number: SourceNumber): string {
  const entry = { business_public_key: number.pem === null ? ' ' : stylePem(number.pem, 'lines'), business_public_key_signature_status: number.status }
  return JSON.stringify(number.shape === 'flat' ? entry : { data: [entry] })
}

/** The faults in Graph's words (the codes the contract documents for this call). */
export const GRAPH_FAULTS: Record<DialectFault, Answer> = {
  auth: graphError(401, 190, 'Error validating access token: Session has expired', { subcode: 463 }),
  permission: graphError(403, 200, '(#200) The app does not have permission to access this phone number'),
  'not-found': graphError(404, 803, '(#803) Some of the aliases you requested do not exist'),
  'bad-request': graphError(400, 100, '(#100) Invalid parameter'),
  'rate-limit': graphError(429, 4, '(#4) Application request limit reached', { transient: true }),
  'throttle-code': graphError(400, 80007, '(#80007) Rate limit issues for the WhatsApp Business Account'),
  server: graphError(500, 2, 'An unexpected error has occurred. Please retry your request later.', { transient: true }),
  transient: graphError(503, 1, 'An unknown error occurred', { transient: true }),
}

export const metaDialect: Dialect = {
  name: 'meta',
  identify({ url, headers }, state) {
    const match = PATH.exec(url.pathname)
    if (!match) return { answer: graphError(400, 100, `Unknown path components: ${url.pathname}`) }
    const fields = url.searchParams.get('fields')
    if (fields !== null && !fields.split(',').every((f) => FIELDS.has(f)))
      return { answer: graphError(400, 100, `(#100) Tried accessing nonexisting field (${fields})`) }
    const id = decodeURIComponent(match[2] ?? '')
    const token = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1]
    const known = [...state.numbers.values()].some((n) => n.credential === token)
    if (!token || !known) return { answer: graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token'), id }
    const number = state.numbers.get(id)
    if (!number) return { answer: graphError(404, 803, '(#803) Some of the aliases you requested do not exist'), id }
    if (number.credential !== token) return { answer: graphError(403, 200, '(#200) The app does not have permission to access this phone number'), id }
    return { number }
  },
  keyAnswer: (number) => ({ status: 200, body: graphKeyBody(number) }),
  faults: GRAPH_FAULTS,
}

export function startMetaGraph(opts: { port?: number; log?: (line: string) => void } = {}): Promise<SourceEmulator> {
  return startSourceEmulator(metaDialect, opts)
}
