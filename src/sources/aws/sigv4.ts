/**
 * @module AWS Signature Version 4 for a request without a body, on WebCrypto (HMAC-SHA256, SHA-256): what the AWS
 * source signs its read with. Written from AWS's specification and checked against AWS's published test suite.
 */
import { toHex } from '../../encoding'

const ALGORITHM = 'AWS4-HMAC-SHA256'
/** SHA-256 of the empty payload: every read is bodiless, so there is nothing else to hash. */
const EMPTY_PAYLOAD_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const TEXT = new TextEncoder()

export interface SigV4Credentials {
  accessKeyId: string
  secretAccessKey: string
  /** Temporary credentials' token, sent and signed as `x-amz-security-token`. */
  sessionToken: string | null
}

export interface SigV4Request {
  method: string
  url: URL
  /** Headers to send and sign besides `host`, `x-amz-date` and the session token. */
  headers: Record<string, string>
}

/** The headers to send: the given ones, `x-amz-date`, the session token if any, and `authorization`. */
export async function signSigV4(request: SigV4Request, credentials: SigV4Credentials, scope: { service: string; region: string }, now: Date): Promise<Headers> {
  const amzDate = now.toISOString().replace(/[-:]|\.\d{3}/g, '')
  const date = amzDate.slice(0, 8)
  const signed = new Map<string, string>()
  for (const [name, value] of Object.entries(request.headers)) signed.set(name.toLowerCase(), value)
  // fetch sends Host from the URL (the port included when it is not the scheme's own): sign the same value.
  signed.set('host', request.url.host)
  signed.set('x-amz-date', amzDate)
  if (credentials.sessionToken !== null) signed.set('x-amz-security-token', credentials.sessionToken)
  const names = [...signed.keys()].sort()
  const signedHeaders = names.join(';')
  const canonicalRequest = [
    request.method,
    canonicalPath(request.url.pathname),
    canonicalQuery(request.url.search),
    names.map((name) => `${name}:${(signed.get(name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join(''),
    signedHeaders,
    EMPTY_PAYLOAD_SHA256,
  ].join('\n')
  const credentialScope = `${date}/${scope.region}/${scope.service}/aws4_request`
  const stringToSign = [ALGORITHM, amzDate, credentialScope, toHex(await sha256(canonicalRequest))].join('\n')
  let key = await hmac(TEXT.encode(`AWS4${credentials.secretAccessKey}`), date)
  for (const part of [scope.region, scope.service, 'aws4_request']) key = await hmac(key, part)
  const signature = toHex(await hmac(key, stringToSign))
  const headers = new Headers(request.headers)
  headers.set('x-amz-date', amzDate)
  if (credentials.sessionToken !== null) headers.set('x-amz-security-token', credentials.sessionToken)
  headers.set('authorization', `${ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`)
  return headers
}

/** RFC 3986: unreserved characters stay, everything else is %XX in upper case (encodeURIComponent spares `!'()*`). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Every service but S3 encodes each path segment twice: the URL holds it encoded once. */
function canonicalPath(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => uriEncode(uriEncode(decodeURIComponent(segment))))
    .join('/')
}

/** Names and values encoded, then sorted by name and by value. */
function canonicalQuery(search: string): string {
  return search
    .replace(/^\?/, '')
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=')
      const [name, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)]
      return [uriEncode(decodeURIComponent(name)), uriEncode(decodeURIComponent(value))] as const
    })
    .sort(([a, x], [b, y]) => (a === b ? compare(x, y) : compare(a, b)))
    .map(([name, value]) => `${name}=${value}`)
    .join('&')
}

/** By code unit, as AWS sorts (not by locale). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', TEXT.encode(text)))
}

async function hmac(key: Uint8Array, text: string): Promise<Uint8Array> {
  const imported = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, TEXT.encode(text)))
}
