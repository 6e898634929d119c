/** @module Flow data endpoint emulator: answers WhatsApp's health-check ping as Meta's example endpoints do, with a private key per path, faults and a JSON control API under /_flow/. */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  constants,
  generateKeyPairSync,
  privateDecrypt,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { ControlError, readJson, readText, sendJson } from './http.js'

/**
 * How an endpoint misbehaves. `normal` is Meta's example: 432 on a bad signature
 * (only when it has an app secret), 421 when the RSA step fails, 500 when the AES step fails.
 */
export type EndpointMode = 'normal' | '421' | '432' | '500' | 'hang' | 'reset' | 'garbage' | 'wrong-encryption' | 'wrong-answer' | 'quoted' | 'redirect'
export const ENDPOINT_MODES: readonly EndpointMode[] = [
  'normal',
  '421',
  '432',
  '500',
  'hang',
  'reset',
  'garbage',
  'wrong-encryption',
  'wrong-answer',
  'quoted',
  'redirect',
]

export interface EndpointSettings {
  path: string
  /** PKCS#8 or PKCS#1 PEM. */
  privateKey: string
  appSecret: string | null
  mode: EndpointMode
  latencyMs: number
}

/** What the endpoint saw, so tests can assert the probe sends the ping and nothing else. */
export interface ReceivedCall {
  at: string
  method: string
  path: string
  /** The query string as received (tests check the probe keeps it when fetching). */
  query: string
  headers: Record<string, string>
  body: string
  /** Top-level members of the JSON body, sorted; null when the body is not a JSON object. */
  fields: string[] | null
  /** `absent`/`valid`/`invalid` against the app secret, computed here with node:crypto; `unchecked` without one. */
  signature: 'absent' | 'valid' | 'invalid' | 'unchecked'
  /** Recovered with node:crypto: proof the request follows the protocol. */
  decrypted: { plaintext: string; aesKeyHex: string; ivHex: string } | null
  decryptError: string | null
  status: number
  /** The body answered (base64 of the encrypted answer on success). */
  answer: string
}

export interface FlowEndpointOptions {
  port?: number
  host?: string
  log?: (line: string) => void
}
export interface FlowEndpoint {
  url: string
  close(): Promise<void>
  /** Create or change the endpoint at `path`; omitted fields keep their value (a new endpoint gets a fresh RSA-2048 key). */
  put(path: string, changes: Partial<Omit<EndpointSettings, 'path'>>): EndpointSettings
  calls(prefix?: string): ReceivedCall[]
  reset(prefix?: string): void
}

const TAG_BYTES = 16
const BODY_MAX_CHARS = 256 * 1024
const GARBAGE = '<html><body>Service temporarily unavailable</body></html>'

export function isEndpointMode(value: unknown): value is EndpointMode {
  return typeof value === 'string' && (ENDPOINT_MODES as readonly string[]).includes(value)
}

/** A fresh RSA-2048 pair as PEM, for endpoints created without a key. */
export function generateEndpointKey(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() }
}

export async function startFlowEndpoint(opts: FlowEndpointOptions = {}): Promise<FlowEndpoint> {
  const { port = 0, host = '127.0.0.1', log = () => {} } = opts
  const endpoints = new Map<string, EndpointSettings>()
  let calls: ReceivedCall[] = []
  // Aborted on close, so latency sleeps and hanging answers never hold the process open.
  const closing = new AbortController()

  const put = (path: string, changes: Partial<Omit<EndpointSettings, 'path'>>): EndpointSettings => {
    if (!path.startsWith('/') || path.startsWith('/_flow/')) throw new ControlError(400, 'path must start with / and not with /_flow/')
    const before = endpoints.get(path)
    const settings: EndpointSettings = {
      path,
      privateKey: changes.privateKey ?? before?.privateKey ?? generateEndpointKey().privateKey,
      appSecret: changes.appSecret === undefined ? (before?.appSecret ?? null) : changes.appSecret,
      mode: changes.mode ?? before?.mode ?? 'normal',
      latencyMs: changes.latencyMs ?? before?.latencyMs ?? 0,
    }
    createPrivateKey(settings.privateKey) // throws on a bad PEM before it is stored
    endpoints.set(path, settings)
    return settings
  }
  const matching = (prefix = '/'): ReceivedCall[] => calls.filter((c) => c.path.startsWith(prefix))
  const reset = (prefix = '/'): void => {
    calls = calls.filter((c) => !c.path.startsWith(prefix))
    for (const path of endpoints.keys()) if (path.startsWith(prefix)) endpoints.delete(path)
  }

  const control = async (url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const route = `${req.method ?? ''} ${url.pathname}`
    if (route === 'GET /_flow/calls') {
      return sendJson(res, 200, { calls: matching(url.searchParams.get('prefix') ?? '/') })
    }
    const body = await readJson(req)
    if (route === 'PUT /_flow/endpoints') {
      const { path, appSecret, mode, latencyMs, newKey } = body
      if (typeof path !== 'string') throw new ControlError(400, 'path is required')
      // `newKey: true` is the endpoint redeployed with another private key: the one-line way to break a pairing.
      const privateKey = newKey === true ? generateEndpointKey().privateKey : body['privateKey']
      if (privateKey !== undefined && typeof privateKey !== 'string') throw new ControlError(400, 'privateKey must be a PEM string')
      if (appSecret !== undefined && appSecret !== null && typeof appSecret !== 'string') throw new ControlError(400, 'appSecret must be a string or null')
      if (mode !== undefined && !isEndpointMode(mode)) throw new ControlError(400, `mode must be one of ${ENDPOINT_MODES.join(', ')}`)
      if (latencyMs !== undefined && (typeof latencyMs !== 'number' || latencyMs < 0)) throw new ControlError(400, 'latencyMs must be a number >= 0')
      let settings: EndpointSettings
      try {
        settings = put(path, { privateKey, appSecret, mode, latencyMs })
      } catch (err) {
        if (err instanceof ControlError) throw err
        throw new ControlError(400, 'privateKey is not a private key PEM')
      }
      const publicKey = createPublicKey(settings.privateKey).export({ type: 'spki', format: 'pem' }).toString()
      return sendJson(res, 200, { path, publicKey, mode: settings.mode, latencyMs: settings.latencyMs, signed: settings.appSecret !== null })
    }
    if (route === 'POST /_flow/reset') {
      const prefix = body['prefix'] ?? '/'
      if (typeof prefix !== 'string') throw new ControlError(400, 'prefix must be a string')
      reset(prefix)
      return sendJson(res, 200, { reset: true })
    }
    throw new ControlError(404, `no control route ${route}`)
  }

  const serve = async (url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = (await readText(req)).slice(0, BODY_MAX_CHARS)
    const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name.toLowerCase(), [value ?? ''].flat().join(', ')]))
    const settings = endpoints.get(url.pathname)
    const call: ReceivedCall = {
      at: new Date().toISOString(),
      method: req.method ?? '',
      path: url.pathname,
      query: url.search,
      headers,
      body,
      fields: fieldsOf(body),
      signature: 'unchecked',
      decrypted: null,
      decryptError: null,
      status: 0,
      answer: '',
    }
    calls.push(call)
    const answer = (status: number, text = '', extra: Record<string, string> = {}): void => {
      call.status = status
      call.answer = text
      log(`[flow-endpoint] ${call.method} ${call.path} -> ${status}`)
      res.writeHead(status, { 'content-type': 'text/plain', ...extra })
      res.end(text)
    }
    if (!settings) return answer(404, 'no endpoint here')
    if (settings.latencyMs > 0) await sleep(settings.latencyMs, undefined, { signal: closing.signal })
    if (settings.mode === 'hang') return // held open until the client gives up or the emulator closes
    if (settings.mode === 'reset') return void req.socket.destroy()
    if (call.method !== 'POST') return answer(405, 'POST only')

    if (settings.appSecret !== null) {
      call.signature = checkSignature(headers['x-hub-signature-256'], body, settings.appSecret)
      if (call.signature !== 'valid') return answer(432)
    }
    const opened = openRequest(body, createPrivateKey(settings.privateKey))
    if ('status' in opened) {
      call.decryptError = opened.error
      return answer(opened.status)
    }
    call.decrypted = { plaintext: opened.plaintext, aesKeyHex: opened.aesKey.toString('hex'), ivHex: opened.iv.toString('hex') }

    if (settings.mode === '421' || settings.mode === '432' || settings.mode === '500') return answer(Number(settings.mode))
    if (settings.mode === 'redirect') return answer(302, '', { location: `${url.pathname}/moved` })
    if (settings.mode === 'garbage') return answer(200, GARBAGE)
    let request: Record<string, unknown>
    try {
      request = JSON.parse(opened.plaintext) as Record<string, unknown>
    } catch {
      return answer(500)
    }
    if (request['action'] !== 'ping') return answer(400, 'the emulator answers only the health-check ping')
    const reply =
      settings.mode === 'wrong-answer'
        ? { version: request['version'], data: { status: 'inactive' } }
        : { version: request['version'], data: { status: 'active' } }
    // A common bug: answering with the request's IV instead of the inverted one.
    const iv = settings.mode === 'wrong-encryption' ? opened.iv : invert(opened.iv)
    const encrypted = sealAnswer(JSON.stringify(reply), opened.aesKey, iv)
    return answer(200, settings.mode === 'quoted' ? ` "${encrypted}"\n` : encrypted)
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://flow-endpoint')
    const handler = url.pathname.startsWith('/_flow/') ? control(url, req, res) : serve(url, req, res)
    handler.catch((err: unknown) => {
      if (closing.signal.aborted) return void res.destroy()
      const status = err instanceof ControlError ? err.status : 500
      if (res.headersSent) res.destroy()
      else sendJson(res, status, { error: err instanceof Error ? err.message : String(err) })
    })
  })
  await new Promise<void>((resolve) => server.listen(port, host, resolve))
  const { port: bound } = server.address() as AddressInfo
  return {
    url: `http://${host}:${bound}`,
    put,
    calls: matching,
    reset,
    close: () =>
      new Promise((resolve) => {
        closing.abort()
        server.close(() => resolve())
        // 'hang' holds sockets open on purpose; without this close would wait for them.
        server.closeAllConnections()
      }),
  }
}

/** Timing-safe, over the raw body bytes, as Meta's example endpoints check it. */
function checkSignature(header: string | undefined, body: string, appSecret: string): ReceivedCall['signature'] {
  if (!header) return 'absent'
  const expected = Buffer.from(`sha256=${createHmac('sha256', appSecret).update(body, 'utf8').digest('hex')}`)
  const given = Buffer.from(header)
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'valid' : 'invalid'
}

type Opened = { plaintext: string; aesKey: Buffer; iv: Buffer } | { status: number; error: string }

/** RSA-OAEP (SHA-256 for hash and MGF1) for the AES key, then AES-128-GCM with the tag at the end. */
function openRequest(body: string, privateKey: KeyObject): Opened {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return { status: 400, error: 'body is not JSON' }
  }
  const fields = (parsed ?? {}) as Record<string, unknown>
  const { encrypted_aes_key: wrapped, encrypted_flow_data: data, initial_vector: ivText } = fields
  if (typeof wrapped !== 'string' || typeof data !== 'string' || typeof ivText !== 'string') {
    return { status: 400, error: 'encrypted_aes_key, encrypted_flow_data and initial_vector are required' }
  }
  let aesKey: Buffer
  try {
    aesKey = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(wrapped, 'base64'))
  } catch (err) {
    // Meta's example: the private key is not the one the request was encrypted for.
    return { status: 421, error: `RSA: ${err instanceof Error ? err.message : String(err)}` }
  }
  const iv = Buffer.from(ivText, 'base64')
  const sealed = Buffer.from(data, 'base64')
  try {
    const decipher = createDecipheriv('aes-128-gcm', aesKey, iv)
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES))
    const plaintext = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8')
    return { plaintext, aesKey, iv }
  } catch (err) {
    return { status: 500, error: `AES: ${err instanceof Error ? err.message : String(err)}` }
  }
}

/** base64 of AES-128-GCM ciphertext with the tag appended. Exported for known-answer tests. */
export function sealAnswer(plaintext: string, aesKey: Buffer, iv: Buffer): string {
  const cipher = createCipheriv('aes-128-gcm', aesKey, iv)
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64')
}

export function invert(iv: Buffer): Buffer {
  return Buffer.from(iv.map((byte) => byte ^ 0xff))
}

function fieldsOf(body: string): string[] | null {
  try {
    const parsed: unknown = JSON.parse(body)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.keys(parsed).sort() : null
  } catch {
    return null
  }
}
