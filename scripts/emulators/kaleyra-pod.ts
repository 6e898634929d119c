/** @module Kaleyra pod emulator: the documented Get Encryption Public Key route, fault injection, and a JSON control API under /_emulator/. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { generateSpkiPem, isPemStyle, keyPool, stylePem, type PemStyle } from './keys.js'
import { ControlError, readBody, readJson, send, sendJson } from './http.js'

export type FaultKind =
  | '500'
  | '502-html'
  | '503'
  | '429'
  | '401'
  | 'wa-401'
  | '400'
  | 'timeout'
  | 'reset'
  | 'html'
  | 'truncated'
  | 'huge'
  | 'not-json-shape'
  | 'data-object'
  | 'custom'
export const FAULT_KINDS: readonly FaultKind[] = [
  '500',
  '502-html',
  '503',
  '429',
  '401',
  'wa-401',
  '400',
  'timeout',
  'reset',
  'html',
  'truncated',
  'huge',
  'not-json-shape',
  'data-object',
  'custom',
]
export type NoKeyShape = 'empty' | 'status-only'

export function isFaultKind(value: unknown): value is FaultKind {
  return typeof value === 'string' && (FAULT_KINDS as readonly string[]).includes(value)
}

export interface AccountState {
  sid: string
  apiKey: string
  enabled: boolean
}
export interface NumberState {
  sid: string
  phone: string
  pem: string | null
  status: string
  pemStyle: PemStyle
  noKeyShape: NoKeyShape
  /** Requests that carried `business_public_key`, i.e. calls of Kaleyra's Set API. */
  sets: number
}
/** `sid`/`phone` null match every account/number; shared test runs should always scope by sid. */
export interface Fault {
  sid: string | null
  phone: string | null
  kind: FaultKind
  remaining: number
  answer?: CustomAnswer
}
/** For `custom`: an answer written out in full, for a pod that behaves exactly as a test describes. */
export interface CustomAnswer {
  status: number
  contentType: string
  body: string
}
export interface UpstreamRequest {
  at: string
  method: string
  path: string
  sid: string
  phone: string
  /** The pod the request was addressed to (`/pods/<pod>` base), or null for the plain base. */
  pod: string | null
  contentType: string | null
  apiKeyPresent: boolean
  bodyBytes: number
  bodyText: string
}
export interface KaleyraPodOptions {
  port?: number
  host?: string
  pod?: string
  log?: (line: string) => void
}
export interface KaleyraPod {
  url: string
  close(): Promise<void>
  state: EmulatorState
}

const BODY_TEXT_MAX_CHARS = 64 * 1024
const HUGE_BODY_BYTES = 10 * 1024 * 1024
const ANY = '*'

/** Upstream bodies, copied from the document; `data` and `error` change type between them, as documented. */
export const BODIES = {
  rbc001: { code: 'RBC001', message: 'Incorrect SID or API key.', data: [], error: { error: 'Incorrect SID or API key.' } },
  wa401: {
    code: 'WA-401',
    message: 'API is not available for given customer.Please contact support for more info',
    data: {},
    error: 'API is not available for given customer.Please contact support for more info',
  },
  wa400: { code: 'WA-400', message: 'Refer to correct payload format', data: {}, error: { payload: 'Incorrect payload format' } },
  // The document is silent on a number the account does not hold; a WA-400 naming the phone is our guess.
  wa400Phone: { code: 'WA-400', message: 'Refer to correct payload format', data: {}, error: { phone: 'Business number not found' } },
  wa500: { code: 'WA-500', message: 'Please try again later', data: {}, error: { error: 'Internal server error' } },
  // Undocumented: Kaleyra's rate-limit body is not published, so this only has to look plausible.
  wa429: { code: 'WA-429', message: 'Too many requests', data: {}, error: { error: 'Rate limit exceeded' } },
} as const

const numberKey = (sid: string, phone: string): string => `${sid} ${phone}`

/** Control paths accept `+91…`, `%2B91…` or `91…` like flowkey's own routes; the upstream route does not (see `handleUpstream`). */
export function normalizePhone(raw: string): string {
  const phone = safeDecode(raw).trim()
  return /^\+?\d+$/.test(phone) ? `+${phone.replace(/^\+/, '')}` : phone
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** Everything the emulator knows, keyed by sid+phone so parallel test files with distinct SIDs never see each other. */
export class EmulatorState {
  readonly accounts = new Map<string, AccountState>()
  readonly numbers = new Map<string, NumberState>()
  faults: Fault[] = []
  /** Added delay in ms keyed by `sid phone`, either part `*`; matching entries add up. */
  readonly latency = new Map<string, number>()
  requests: UpstreamRequest[] = []
  /** Keyed by sid, with `*` for the whole pod. */
  readonly inFlight = new Map<string, { now: number; max: number }>()
  /**
   * One emulator can stand for all four pods: a base URL ending in `/pods/<pod>` is that pod,
   * and each can behave differently for a SID (`<pod> <sid>`): slower, down, or refusing the SID.
   */
  readonly podRules = new Map<string, PodRule>()

  putAccount(sid: string, apiKey: string, enabled = true): AccountState {
    const account = { sid, apiKey, enabled }
    this.accounts.set(sid, account)
    return account
  }

  /** `pem` undefined generates a fresh key; null registers the number without one. */
  async putNumber(init: Partial<NumberState> & { sid: string; phone: string }): Promise<NumberState> {
    const { sid, phone, pem, ...rest } = init
    const number: NumberState = {
      sid,
      phone,
      pem: pem === undefined ? await generateSpkiPem() : pem,
      status: 'VALID',
      pemStyle: 'lines',
      noKeyShape: 'empty',
      sets: 0,
      ...rest,
    }
    this.numbers.set(numberKey(number.sid, number.phone), number)
    return number
  }

  /** Registers `prefix + zero-padded index` numbers with pooled keys, so a 1,000-number benchmark fleet is instant. */
  /** `pems`: the keys to hand out in turn (the bench's endpoint keys); the pool of 8 when absent. */
  async putFleet(sid: string, prefix: string, count: number, status = 'VALID', pems?: readonly string[]): Promise<string[]> {
    const width = String(Math.max(count - 1, 0)).length
    const phones = Array.from({ length: count }, (_, i) => normalizePhone(prefix + String(i).padStart(width, '0')))
    if (!phones.every((phone) => /^\+\d{8,15}$/.test(phone))) {
      throw new ControlError(400, `fleet numbers must be 8 to 15 digits after "+", got ${phones[0] ?? ''}`)
    }
    const pool = pems ?? (await keyPool())
    phones.forEach((phone, i) => {
      const pem = pool[i % pool.length] ?? null
      this.numbers.set(numberKey(sid, phone), { sid, phone, pem, status, pemStyle: 'lines', noKeyShape: 'empty', sets: 0 })
    })
    return phones
  }

  /** Finds a number by phone, needing the sid only when two accounts hold the same phone. */
  findNumber(phone: string, sid: string | null): NumberState {
    const matches =
      sid === null ? [...this.numbers.values()].filter((n) => n.phone === phone) : [this.numbers.get(numberKey(sid, phone))].filter((n) => n !== undefined)
    if (matches.length > 1) throw new ControlError(409, `${phone} is registered under several SIDs; pass ?sid=`)
    const [number] = matches
    if (number === undefined) throw new ControlError(404, `${phone} is not registered${sid === null ? '' : ` under ${sid}`}`)
    return number
  }

  addFault(fault: Fault): void {
    this.faults.push(fault)
  }

  /** Consumes one matching fault, oldest first. */
  takeFault(sid: string, phone: string): Fault | null {
    const fault = this.faults.find((f) => (f.sid ?? sid) === sid && (f.phone ?? phone) === phone)
    if (fault === undefined) return null
    if (--fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault)
    return fault
  }

  setLatency(ms: number, sid: string | null, phone: string | null): void {
    const key = `${sid ?? ANY} ${phone ?? ANY}`
    if (ms > 0) this.latency.set(key, ms)
    else this.latency.delete(key)
  }

  delayFor(sid: string, phone: string): number {
    let ms = 0
    for (const key of [`${ANY} ${ANY}`, `${sid} ${ANY}`, `${ANY} ${phone}`, `${sid} ${phone}`]) ms += this.latency.get(key) ?? 0
    return ms
  }

  /** Returns the function that ends this request, so the count cannot be ended twice. Counted per account, and per number. */
  begin(sid: string, phone: string | null = null): () => void {
    const counters = [ANY, sid, ...(phone === null ? [] : [`${sid} ${phone}`])].map((key) => {
      const counter = this.inFlight.get(key) ?? { now: 0, max: 0 }
      counter.now += 1
      counter.max = Math.max(counter.max, counter.now)
      this.inFlight.set(key, counter)
      return counter
    })
    let ended = false
    return () => {
      if (ended) return
      ended = true
      for (const counter of counters) counter.now -= 1
    }
  }

  requestLog(sid: string | null, phone: string | null): { requests: UpstreamRequest[]; inFlight: number; maxInFlight: number } {
    const requests = this.requests.filter((r) => (sid ?? r.sid) === r.sid && (phone ?? r.phone) === r.phone)
    const counter = this.inFlight.get(sid ?? ANY) ?? { now: 0, max: 0 }
    return { requests, inFlight: counter.now, maxInFlight: counter.max }
  }

  clearRequests(sid: string | null): void {
    this.requests = sid === null ? [] : this.requests.filter((r) => r.sid !== sid)
    for (const [key, counter] of this.inFlight) if (sid === null || key === sid || key.startsWith(`${sid} `)) counter.max = counter.now
  }

  /** The most requests for one number at once, over every number: a check that overlapped itself shows as 2. */
  maxInFlightPerNumber(): number {
    let max = 0
    for (const [key, counter] of this.inFlight) if (key.includes(' ')) max = Math.max(max, counter.max)
    return max
  }

  /** Scoped to one sid so a test file can start clean without disturbing the files running beside it. */
  reset(sid: string | null): void {
    if (sid === null) {
      this.accounts.clear()
      this.numbers.clear()
      this.latency.clear()
      this.podRules.clear()
      this.faults = []
      this.requests = []
      this.inFlight.clear()
      return
    }
    this.accounts.delete(sid)
    for (const [key, number] of this.numbers) if (number.sid === sid) this.numbers.delete(key)
    for (const key of this.latency.keys()) if (key.startsWith(`${sid} `)) this.latency.delete(key)
    for (const key of this.podRules.keys()) if (key.endsWith(` ${sid}`)) this.podRules.delete(key)
    this.faults = this.faults.filter((f) => f.sid !== sid)
    this.clearRequests(sid)
  }
}

export interface PodRule {
  latencyMs: number
  /** Drops every connection: the pod cannot be reached. */
  down: boolean
  /** Answers RBC001 for the SID: the account does not live on this pod. */
  refuse: boolean
}

export async function startKaleyraPod(opts: KaleyraPodOptions = {}): Promise<KaleyraPod> {
  const { port = 0, host = '127.0.0.1', pod = 'in', log = () => {} } = opts
  const state = new EmulatorState()
  // Aborted on close, so latency sleeps and 10 MB streams never hold the process open.
  const closing = new AbortController()
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator')
    const handler = url.pathname.startsWith('/_emulator/')
      ? handleControl(state, url, req, res)
      : handleUpstream(state, url, req, res, closing.signal, (line) => log(`[kaleyra:${pod}] ${line}`))
    handler.catch((err: unknown) => {
      if (err instanceof ControlError) return sendJson(res, err.status, { error: err.message })
      if (closing.signal.aborted) return res.destroy()
      log(`[kaleyra:${pod}] emulator bug: ${String(err)}`)
      if (!res.headersSent) sendJson(res, 500, { error: String(err) })
      else res.destroy()
    })
  })
  await new Promise<void>((resolve) => server.listen(port, host, resolve))
  const { port: bound } = server.address() as AddressInfo
  return {
    url: `http://${host}:${bound}`,
    state,
    close: () =>
      new Promise((resolve) => {
        closing.abort()
        server.close(() => resolve())
        // 'timeout' faults hold sockets open on purpose; without this close would wait for them.
        server.closeAllConnections()
      }),
  }
}

const UPSTREAM_PATH = /^(?:\/pods\/(in|sg|eu|na))?\/v2\/([^/]+)\/whatsapp\/([^/]+)\/flows_encryption$/

async function handleUpstream(
  state: EmulatorState,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
  closing: AbortSignal,
  log: (line: string) => void,
): Promise<void> {
  const match = UPSTREAM_PATH.exec(url.pathname)
  if (match === null) return sendJson(res, 404, { error: `no route ${req.method ?? ''} ${url.pathname} on this Kaleyra pod emulator` })
  // `+91…` and `%2B91…` are one number; a bare `91…` stays distinct so a client that drops the `+` is caught.
  const podName = match[1] ?? null
  const sid = safeDecode(match[2] ?? '')
  const phone = safeDecode(match[3] ?? '')
  const rule = podName === null ? undefined : state.podRules.get(`${podName} ${sid}`)
  const end = state.begin(sid, phone)
  const started = Date.now()
  res.once('close', () => {
    end()
    log(`${req.method ?? ''} ${req.url ?? ''} -> ${res.writableFinished ? res.statusCode : 'aborted'} in ${Date.now() - started} ms`)
  })
  const body = await readBody(req)
  const contentType = req.headers['content-type'] ?? null
  state.requests.push({
    at: new Date(started).toISOString(),
    method: req.method ?? '',
    path: req.url ?? '',
    pod: podName,
    sid,
    phone,
    contentType,
    apiKeyPresent: req.headers['api-key'] !== undefined,
    bodyBytes: body.length,
    bodyText: body.toString('utf8').slice(0, BODY_TEXT_MAX_CHARS),
  })
  if (rule?.down) {
    res.destroy()
    return
  }
  const delayMs = state.delayFor(sid, phone) + (rule?.latencyMs ?? 0)
  if (delayMs > 0) await sleep(delayMs, undefined, { signal: closing })
  if (rule?.refuse) return sendJson(res, 401, BODIES.rbc001)
  const fault = state.takeFault(sid, phone)
  if (fault !== null) return answerFault(fault, res, closing)

  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST')
    return sendJson(res, 405, { code: 'WA-405', message: 'Method Not Allowed', data: {}, error: { method: `${req.method ?? ''} is not allowed` } })
  }
  const account = state.accounts.get(sid)
  if (account === undefined || req.headers['api-key'] !== account.apiKey) return sendJson(res, 401, BODIES.rbc001)
  if (!account.enabled) return sendJson(res, 401, BODIES.wa401)
  if (!/^application\/x-www-form-urlencoded\s*(;.*)?$/i.test(contentType ?? '')) return sendJson(res, 400, BODIES.wa400)
  const number = state.numbers.get(numberKey(sid, phone))
  if (number === undefined) return sendJson(res, 400, BODIES.wa400Phone)
  // The Set API is this same request plus one form field; honouring it is what lets tests prove flowkey never sends it.
  const newKey = new URLSearchParams(body.toString('utf8')).get('business_public_key')
  if (newKey !== null) {
    number.pem = newKey
    number.sets += 1
  }
  sendJson(res, 200, successBody(number))
}

function successBody(number: NumberState): object {
  const status = { business_public_key_signature_status: number.status }
  const data =
    number.pem !== null ? [{ business_public_key: stylePem(number.pem, number.pemStyle), ...status }] : number.noKeyShape === 'status-only' ? [status] : []
  return { code: 'WA-200', message: 'Request Processed Successfully', data, error: {} }
}

async function answerFault(fault: Fault, res: ServerResponse, closing: AbortSignal): Promise<void> {
  switch (fault.kind) {
    case 'custom': {
      const answer = fault.answer ?? { status: 200, contentType: 'application/json', body: '' }
      return send(res, answer.status, answer.contentType, answer.body)
    }
    case '500':
      return sendJson(res, 500, BODIES.wa500)
    case '429':
      res.setHeader('retry-after', '1')
      return sendJson(res, 429, BODIES.wa429)
    case '401':
      return sendJson(res, 401, BODIES.rbc001)
    case 'wa-401':
      return sendJson(res, 401, BODIES.wa401)
    case '400':
      return sendJson(res, 400, BODIES.wa400)
    case '502-html':
      return send(
        res,
        502,
        'text/html',
        '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n',
      )
    case '503':
      return send(res, 503, 'text/plain', 'Service Temporarily Unavailable')
    case 'html':
      return send(res, 200, 'text/html; charset=utf-8', '<!doctype html><html><body><h1>Kaleyra</h1><p>Please log in.</p></body></html>')
    case 'truncated': {
      const full = JSON.stringify({
        code: 'WA-200',
        message: 'Request Processed Successfully',
        data: [{ business_public_key: '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA' }],
      })
      return send(res, 200, 'application/json', full.slice(0, Math.floor(full.length / 2)))
    }
    case 'not-json-shape':
      return sendJson(res, 200, { foo: 1 })
    case 'data-object':
      return sendJson(res, 200, { code: 'WA-200', message: 'Request Processed Successfully', data: {}, error: {} })
    case 'reset':
      res.socket?.destroy()
      return
    case 'timeout':
      return // Never answered; the client's timeout or the server's close ends it.
    case 'huge':
      return streamHugeBody(res, closing)
  }
}

/** Valid JSON in the documented shape whose key is 10 MB, streamed with backpressure so only a capped reader survives it. */
async function streamHugeBody(res: ServerResponse, closing: AbortSignal): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.write('{"code":"WA-200","message":"Request Processed Successfully","data":[{"business_public_key":"')
  const chunk = 'A'.repeat(64 * 1024)
  for (let sent = 0; sent < HUGE_BODY_BYTES && !res.destroyed && !closing.aborted; sent += chunk.length) {
    if (!res.write(chunk)) await drained(res)
  }
  if (!res.destroyed) res.end('","business_public_key_signature_status":"VALID"}],"error":{}}')
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}

async function handleControl(state: EmulatorState, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parts = url.pathname.split('/').slice(2).map(safeDecode)
  const route = `${req.method ?? ''} ${parts.map((p, i) => (i === 1 && parts.length > 1 ? ':' : p)).join('/')}`
  const body = await readJson(req)
  const query = (name: string): string | null => url.searchParams.get(name)
  const sidArg = optString(body, 'sid') ?? query('sid')
  const phoneArg = optString(body, 'phone') ?? query('phone')
  const phone = normalizePhone(parts[1] ?? '')
  switch (route) {
    case 'PUT accounts/:': {
      const apiKey = reqString(body, 'apiKey')
      const account = state.putAccount(parts[1] ?? '', apiKey, optBoolean(body, 'enabled') ?? true)
      return sendJson(res, 200, { sid: account.sid, enabled: account.enabled })
    }
    case 'GET numbers':
      return sendJson(res, 200, { numbers: [...state.numbers.values()].filter((n) => (sidArg ?? n.sid) === n.sid) })
    case 'PUT numbers/:': {
      const pemStyle = body['pemStyle'] ?? 'lines'
      const noKeyShape = body['noKeyShape'] ?? 'empty'
      const pem = body['pem']
      if (!isPemStyle(pemStyle)) throw new ControlError(400, 'pemStyle must be lines, one-line, crlf or padded')
      if (noKeyShape !== 'empty' && noKeyShape !== 'status-only') throw new ControlError(400, 'noKeyShape must be empty or status-only')
      if (pem !== undefined && pem !== null && typeof pem !== 'string') throw new ControlError(400, 'pem must be a string or null')
      return sendJson(
        res,
        200,
        await state.putNumber({
          sid: reqString(body, 'sid'),
          phone,
          pem,
          status: optString(body, 'status') ?? 'VALID',
          pemStyle,
          noKeyShape,
        }),
      )
    }
    case 'GET numbers/:':
      return sendJson(res, 200, state.findNumber(phone, sidArg))
    case 'DELETE numbers/:': {
      const number = state.findNumber(phone, sidArg)
      state.numbers.delete(numberKey(number.sid, number.phone))
      return sendJson(res, 200, { deleted: number.phone })
    }
    case 'POST numbers/:/rotate': {
      const number = state.findNumber(phone, sidArg)
      number.pem = optString(body, 'pem') ?? (await generateSpkiPem())
      return sendJson(res, 200, { pem: number.pem })
    }
    case 'PUT numbers/:/status': {
      const number = state.findNumber(phone, sidArg)
      number.status = reqString(body, 'status')
      return sendJson(res, 200, number)
    }
    case 'DELETE numbers/:/key': {
      const number = state.findNumber(phone, sidArg)
      number.pem = null
      return sendJson(res, 200, number)
    }
    case 'PUT fleet': {
      const count = body['count']
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw new ControlError(400, 'count must be a positive integer')
      const phones = await state.putFleet(reqString(body, 'sid'), reqString(body, 'prefix'), count, optString(body, 'status') ?? 'VALID')
      return sendJson(res, 200, { count: phones.length, phones })
    }
    case 'POST faults': {
      const kind = body['kind']
      const count = body['count'] ?? 1
      if (!isFaultKind(kind)) throw new ControlError(400, `kind must be one of ${FAULT_KINDS.join(', ')}`)
      if (typeof count !== 'number' || count < 1) throw new ControlError(400, 'count must be a positive number')
      const answer = kind === 'custom' ? readCustomAnswer(body) : undefined
      state.addFault({ sid: sidArg, phone: phoneArg === null ? null : normalizePhone(phoneArg), kind, remaining: count, ...(answer ? { answer } : {}) })
      return sendJson(res, 200, { faults: state.faults })
    }
    case 'DELETE faults':
      state.faults = state.faults.filter((f) => sidArg !== null && f.sid !== sidArg)
      return sendJson(res, 200, { faults: state.faults })
    case 'PUT pods/:': {
      const latency = body['latencyMs'] ?? 0
      if (typeof latency !== 'number' || latency < 0) throw new ControlError(400, 'latencyMs must be a number >= 0')
      const rule: PodRule = { latencyMs: latency, down: optBoolean(body, 'down') ?? false, refuse: optBoolean(body, 'refuse') ?? false }
      state.podRules.set(`${parts[1] ?? ''} ${reqString(body, 'sid')}`, rule)
      return sendJson(res, 200, { pod: parts[1], rule })
    }
    case 'PUT latency': {
      const ms = body['ms']
      if (typeof ms !== 'number' || ms < 0) throw new ControlError(400, 'ms must be a number >= 0')
      state.setLatency(ms, sidArg, phoneArg === null ? null : normalizePhone(phoneArg))
      return sendJson(res, 200, { latency: Object.fromEntries(state.latency) })
    }
    case 'GET requests':
      return sendJson(res, 200, state.requestLog(sidArg, phoneArg === null ? null : normalizePhone(phoneArg)))
    case 'DELETE requests':
      state.clearRequests(sidArg)
      return sendJson(res, 200, { cleared: true })
    case 'POST reset':
      state.reset(sidArg)
      return sendJson(res, 200, { reset: sidArg ?? 'all' })
    default:
      throw new ControlError(404, `no control route ${req.method ?? ''} ${url.pathname}`)
  }
}

function readCustomAnswer(body: Record<string, unknown>): CustomAnswer {
  const status = body['status'] ?? 200
  const answerBody = body['body']
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599)
    throw new ControlError(400, 'status must be an HTTP status from 200 to 599')
  if (typeof answerBody !== 'string') throw new ControlError(400, 'a custom fault needs "body": the exact text to answer')
  return { status, contentType: optString(body, 'contentType') ?? 'application/json', body: answerBody }
}

function optString(body: Record<string, unknown>, name: string): string | null {
  const value = body[name]
  if (value === undefined || value === null) return null
  if (typeof value !== 'string') throw new ControlError(400, `${name} must be a string`)
  return value
}

function reqString(body: Record<string, unknown>, name: string): string {
  const value = optString(body, name)
  if (value === null || value === '') throw new ControlError(400, `${name} is required`)
  return value
}

function optBoolean(body: Record<string, unknown>, name: string): boolean | null {
  const value = body[name]
  if (value === undefined || value === null) return null
  if (typeof value !== 'boolean') throw new ControlError(400, `${name} must be true or false`)
  return value
}
