/** @module What the Meta, 360dialog and AWS emulators share: numbers with keys, faults, a request log that flags any write, and the /_emulator/ control API. */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { ControlError, readBody, readJson, send, sendJson } from './http.js'
import { generateSpkiPem, keyPool } from './keys.js'
import { ReadGuard } from './read-only.js'

/** Faults every source can be told to answer with; each dialect writes them in its own error format. */
export const SOURCE_FAULTS = [
  'auth',
  'permission',
  'not-found',
  'bad-request',
  'rate-limit',
  'throttle-code',
  'server',
  'transient',
  'timeout',
  'html',
  'redirect',
  'huge',
] as const
export type SourceFault = (typeof SOURCE_FAULTS)[number]
/** A fault each source writes in its own error format; an HTML page, a redirect, silence and a 10 MB body are answered alike for all. */
export type DialectFault = Exclude<SourceFault, 'html' | 'redirect' | 'timeout' | 'huge'>

export interface SourceNumber {
  /** Meta's phone number id, 360dialog's channel name, AWS's `phone-number-id-…`. */
  id: string
  /** Meta: the bearer token; 360dialog: the D360-API-KEY; AWS: the access key id allowed (empty: any known one). */
  credential: string
  /** AWS: the number's region. */
  region: string | null
  /** Null: no key (a blank key in the answer). */
  pem: string | null
  status: string
  /** Meta and 360dialog: the key at the top level or wrapped in `data`. */
  shape: 'flat' | 'wrapped'
}

export interface SeenRequest {
  at: string
  method: string
  path: string
  /** The number the request was about, when it could be told. */
  id: string | null
  bodyBytes: number
  /** What made it a write (a method, a body, a key field): always empty unless flowkey broke its promise. */
  writes: string[]
}

export interface Answer {
  status: number
  headers?: Record<string, string>
  body: string
}

/** Each source's own: which number a request asks for (or the error it earns), and how its answers look. */
export interface Dialect {
  name: string
  identify(req: { method: string; url: URL; headers: IncomingHttpHeaders }, state: SourceState): { number: SourceNumber } | { answer: Answer; id?: string }
  keyAnswer(number: SourceNumber): Answer
  faults: Record<DialectFault, Answer>
}

const HUGE_BODY_BYTES = 10 * 1024 * 1024

export class SourceState {
  readonly numbers = new Map<string, SourceNumber>()
  faults: { id: string | null; kind: SourceFault; remaining: number }[] = []
  requests: SeenRequest[] = []
  /** AWS: access key id to its secret, and the session token that must come with it (if any). */
  readonly credentials = new Map<string, { secret: string; sessionToken: string | null }>()

  async putNumber(id: string, init: Partial<SourceNumber>): Promise<SourceNumber> {
    const number: SourceNumber = {
      id,
      credential: '',
      region: null,
      status: 'VALID',
      shape: 'wrapped',
      ...init,
      pem: init.pem === undefined ? await generateSpkiPem() : init.pem,
    }
    this.numbers.set(id, number)
    return number
  }

  get(id: string): SourceNumber {
    const number = this.numbers.get(id)
    if (!number) throw new ControlError(404, `${id} is not registered`)
    return number
  }

  takeFault(id: string | null): SourceFault | null {
    const fault = this.faults.find((f) => f.remaining > 0 && (f.id === null || f.id === id))
    if (!fault) return null
    fault.remaining -= 1
    return fault.kind
  }

  /** Forgets what belongs to ids starting with `prefix` (parallel test files use their own prefixes). */
  reset(prefix: string): void {
    for (const id of [...this.numbers.keys()]) if (id.startsWith(prefix)) this.numbers.delete(id)
    this.faults = this.faults.filter((f) => f.id !== null && !f.id.startsWith(prefix))
    this.requests = this.requests.filter((r) => !(r.id ?? '').startsWith(prefix))
  }
}

export interface SourceEmulator {
  url: string
  state: SourceState
  /** Every request but the control API's, with the writes among them; never cleared. */
  guard: ReadGuard
  close(): Promise<void>
}

export async function startSourceEmulator(dialect: Dialect, opts: { port?: number; log?: (line: string) => void } = {}): Promise<SourceEmulator> {
  const state = new SourceState()
  const guard = new ReadGuard(dialect.name, 'GET')
  const closing = new AbortController()
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator')
    const handle = url.pathname.startsWith('/_emulator/')
      ? control(state, url, req, res)
      : upstream(dialect, state, guard, url, req, res, closing.signal, opts.log)
    handle.catch((err: unknown) => {
      if (res.headersSent) return void res.destroy()
      if (err instanceof ControlError) sendJson(res, err.status, { error: err.message })
      else sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) })
    })
  })
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    guard,
    close: () =>
      new Promise((resolve) => {
        closing.abort()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

async function upstream(
  dialect: Dialect,
  state: SourceState,
  guard: ReadGuard,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
  closing: AbortSignal,
  log?: (line: string) => void,
): Promise<void> {
  const body = await readBody(req)
  const method = req.method ?? 'GET'
  const writes = guard.inspect(method, url, body)
  const found = dialect.identify({ method, url, headers: req.headers }, state)
  const id = 'number' in found ? found.number.id : (found.id ?? null)
  state.requests.push({ at: new Date().toISOString(), method, path: url.pathname + url.search, id, bodyBytes: body.length, writes })
  log?.(`${dialect.name} ${method} ${url.pathname} ${id ?? '-'}${writes.length ? ` WRITE: ${writes.join(', ')}` : ''}`)
  // flowkey only reads: a write is answered as the Set would refuse a bad one, and stays in the log for the test to fail on.
  if (writes.length > 0) return sendJson(res, 405, { error: { message: `flowkey sent a write: ${writes.join(', ')}`, code: 100 } })
  if ('answer' in found) return answer(res, found.answer)
  const fault = state.takeFault(found.number.id)
  if (fault === 'timeout') return void (await sleep(60_000, undefined, { signal: closing }).catch(() => undefined))
  if (fault === 'huge') return streamHuge(res)
  if (fault === 'html') return answer(res, HTML_ANSWER)
  if (fault === 'redirect') return answer(res, REDIRECT_ANSWER)
  if (fault) return answer(res, dialect.faults[fault])
  answer(res, dialect.keyAnswer(found.number))
}

function answer(res: ServerResponse, a: Answer): void {
  res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers, 'content-length': Buffer.byteLength(a.body) })
  res.end(a.body)
}

function streamHuge(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(`{"business_public_key":"${'A'.repeat(HUGE_BODY_BYTES)}"}`)
}

/** A proxy's error page and a redirect: no source answers them in its own format. */
const HTML_ANSWER: Answer = { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body>Bad gateway</body></html>' }
const REDIRECT_ANSWER: Answer = { status: 302, headers: { location: 'https://example.com/elsewhere' }, body: '' }

async function control(state: SourceState, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parts = url.pathname.slice('/_emulator/'.length).split('/').map(decodeURIComponent)
  const route = `${req.method} ${parts.map((p, i) => (i === 1 && parts[0] !== 'requests' ? ':' : p)).join('/')}`
  const body = await readJson(req)
  const id = parts[1] ?? ''
  switch (route) {
    case 'POST reset':
      state.reset(typeof body.prefix === 'string' ? body.prefix : '')
      return sendJson(res, 200, { ok: true })
    case 'PUT numbers/:': {
      const n = await state.putNumber(id, body as Partial<SourceNumber>)
      return sendJson(res, 200, n)
    }
    case 'GET numbers/:':
      return sendJson(res, 200, state.get(id))
    case 'POST numbers/:/rotate': {
      const n = state.get(id)
      n.pem = typeof body.pem === 'string' ? body.pem : await generateSpkiPem()
      return sendJson(res, 200, n)
    }
    case 'PUT numbers/:/status':
      state.get(id).status = String(body.status ?? 'VALID')
      return sendJson(res, 200, state.get(id))
    case 'DELETE numbers/:/key':
      state.get(id).pem = null
      return sendJson(res, 200, state.get(id))
    case 'PUT credentials/:':
      state.credentials.set(id, { secret: String(body.secret ?? ''), sessionToken: typeof body.sessionToken === 'string' ? body.sessionToken : null })
      return sendJson(res, 200, { ok: true })
    case 'PUT fleet': {
      const pool = await keyPool()
      const prefix = String(body.prefix ?? 'n')
      const count = Number(body.count ?? 0)
      for (let i = 0; i < count; i++) {
        await state.putNumber(`${prefix}${i}`, { ...(body as Partial<SourceNumber>), pem: pool[i % pool.length] ?? null })
      }
      return sendJson(res, 200, { count })
    }
    case 'POST faults': {
      const kind = body.kind
      if (!(SOURCE_FAULTS as readonly unknown[]).includes(kind)) throw new ControlError(400, `kind must be one of ${SOURCE_FAULTS.join(', ')}`)
      state.faults.push({ id: typeof body.id === 'string' ? body.id : null, kind: kind as SourceFault, remaining: Number(body.count ?? 1) })
      return sendJson(res, 200, { ok: true })
    }
    case 'DELETE faults': {
      const prefix = url.searchParams.get('id') ?? ''
      state.faults = state.faults.filter((f) => !(f.id ?? '').startsWith(prefix))
      return sendJson(res, 200, { ok: true })
    }
    case 'GET requests': {
      const prefix = url.searchParams.get('id') ?? ''
      const requests = state.requests.filter((r) => (r.id ?? '').startsWith(prefix))
      return sendJson(res, 200, { requests, writes: state.requests.filter((r) => r.writes.length > 0).length })
    }
    case 'DELETE requests':
      state.requests = state.requests.filter((r) => !(r.id ?? '').startsWith(url.searchParams.get('id') ?? ''))
      return sendJson(res, 200, { ok: true })
  }
  send(res, 404, 'text/plain', `no control route ${route}`)
}
