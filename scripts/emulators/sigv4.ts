/**
 * @module Verifies AWS Signature Version 4 on a request, written from AWS's specification with node:crypto (not with the
 * signer flowkey uses), so the AWS emulator checks flowkey's signatures independently.
 */
import { createHash, createHmac } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'

const ALGORITHM = 'AWS4-HMAC-SHA256'
const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/
/** AWS refuses a signature more than five minutes off its clock (RequestTimeTooSkewed); a loaded test machine gets fifteen. */
const MAX_SKEW_MS = 15 * 60_000

export type Verdict =
  | { ok: true; accessKeyId: string; region: string }
  | { ok: false; type: 'UnrecognizedClientException' | 'InvalidSignatureException' | 'IncompleteSignatureException'; message: string; accessKeyId?: string }

export interface Credentials {
  secret: string
  sessionToken: string | null
}

/** RFC 3986 unreserved characters stay; everything else is %XX, upper case (SigV4's URI encoding). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

function canonicalQuery(search: string): string {
  const pairs = search
    .replace(/^\?/, '')
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const [k = '', v = ''] = pair.split('=')
      return [uriEncode(decodeURIComponent(k)), uriEncode(decodeURIComponent(v))] as const
    })
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
  return pairs.map(([k, v]) => `${k}=${v}`).join('&')
}

/** Non-S3 services encode each path segment twice (once as a URI, once for the canonical form). */
function canonicalPath(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => uriEncode(uriEncode(decodeURIComponent(segment))))
    .join('/')
}

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex')
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest()

export function verifySigV4(
  req: { method: string; url: URL; headers: IncomingHttpHeaders; body: Buffer },
  service: string,
  lookup: (accessKeyId: string) => Credentials | undefined,
  now = Date.now(),
): Verdict {
  const auth = req.headers.authorization
  const match = typeof auth === 'string' ? AUTH.exec(auth) : null
  if (!match)
    return {
      ok: false,
      type: 'IncompleteSignatureException',
      message: 'Authorization header is not AWS4-HMAC-SHA256 with Credential, SignedHeaders and Signature',
    }
  const [, accessKeyId = '', date = '', region = '', signedService = '', signedHeaders = '', signature = ''] = match
  const credentials = lookup(accessKeyId)
  if (!credentials) return { ok: false, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }
  const fail = (message: string): Verdict => ({ ok: false, type: 'InvalidSignatureException', message, accessKeyId })
  if (signedService !== service) return fail(`Credential should be scoped to correct service: '${service}'.`)
  const amzDate = String(req.headers['x-amz-date'] ?? '')
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || !amzDate.startsWith(date)) return fail('X-Amz-Date is missing or does not match the credential scope date')
  const at = Date.parse(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  )
  if (Math.abs(now - at) > MAX_SKEW_MS) return fail('Signature expired: the request time is too far from the server time')
  const names = signedHeaders.split(';')
  if (!names.includes('host') || !names.includes('x-amz-date')) return fail('SignedHeaders must include host and x-amz-date')
  const token = req.headers['x-amz-security-token']
  if (credentials.sessionToken !== null && (token !== credentials.sessionToken || !names.includes('x-amz-security-token'))) {
    return { ok: false, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }
  }
  const canonicalHeaders = names
    .map(
      (name) =>
        `${name}:${String(req.headers[name] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('')
  const canonicalRequest = [
    req.method,
    canonicalPath(req.url.pathname),
    canonicalQuery(req.url.search),
    canonicalHeaders,
    signedHeaders,
    sha256Hex(req.body),
  ].join('\n')
  const scope = `${date}/${region}/${service}/aws4_request`
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n')
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secret}`, date), region), service), 'aws4_request')
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex')
  if (expected !== signature) return fail('The request signature we calculated does not match the signature you provided.')
  return { ok: true, accessKeyId, region }
}
