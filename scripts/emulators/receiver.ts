/** @module Stand-in for a Slack incoming webhook and a generic webhook receiver: records every request and answers as programmed under /_receiver/. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Webhook } from 'standardwebhooks'
import { ControlError, readJson, readText, send } from './http.js'

export interface ReceivedRequest {
  at: string
  method: string
  path: string
  query: string
  headers: Record<string, string>
  body: string
}
/** `down` destroys the socket, which a sender sees like a refused connection. */
export type AnswerPreset = 'invalid_payload' | 'channel_not_found' | 'rate_limited' | 'down'
export interface Answer {
  status: number
  body: string
  headers: Record<string, string>
  down: boolean
}
export interface ReceiverOptions {
  port?: number
  host?: string
  log?: (line: string) => void
  /** `whsec_…`: when set, each logged request says whether the official Standard Webhooks library verifies it. */
  webhookSecret?: string
}
export interface Receiver {
  url: string
  close(): Promise<void>
  requests: ReceivedRequest[]
  /** Queues the next answers for an exact path; each answer repeats `count` times, then the default `200 ok` resumes. */
  program(path: string, answers: readonly AnswerSpec[]): void
  reset(prefix?: string): void
}
export interface AnswerSpec {
  preset?: AnswerPreset
  status?: number
  body?: string
  headers?: Record<string, string>
  count?: number
}

const BODY_MAX_CHARS = 1024 * 1024
const WAIT_POLL_MS = 20
const WAIT_MAX_MS = 10_000

/** Slack's documented incoming-webhook failures: the body is the bare error code as text. */
const PRESETS: Record<AnswerPreset, Answer> = {
  invalid_payload: { status: 400, body: 'invalid_payload', headers: {}, down: false },
  channel_not_found: { status: 404, body: 'channel_not_found', headers: {}, down: false },
  rate_limited: { status: 429, body: 'rate_limited', headers: { 'retry-after': '1' }, down: false },
  down: { status: 0, body: '', headers: {}, down: true },
}
const DEFAULT_ANSWER: Answer = { status: 200, body: 'ok', headers: {}, down: false }

export async function startReceiver(opts: ReceiverOptions = {}): Promise<Receiver> {
  const { port = 0, host = '127.0.0.1', log = () => {}, webhookSecret } = opts
  let requests: ReceivedRequest[] = []
  let queues = new Map<string, Answer[]>()
  // Aborted on close so a pending long-poll does not hold the process open.
  const closing = new AbortController()

  const program = (path: string, specs: readonly AnswerSpec[]): void => {
    const queue = queues.get(path) ?? []
    for (const spec of specs) queue.push(...Array<Answer>(spec.count ?? 1).fill(toAnswer(spec)))
    queues.set(path, queue)
  }
  // By prefix, so a test that owns `/t/<id>/...` can clear its own paths while other files keep theirs.
  const reset = (prefix = '/'): void => {
    requests = requests.filter((r) => !r.path.startsWith(prefix))
    queues = new Map([...queues].filter(([path]) => !path.startsWith(prefix)))
  }
  const matching = (url: URL): ReceivedRequest[] => {
    const path = url.searchParams.get('path')
    const prefix = url.searchParams.get('prefix') ?? ''
    return requests.filter((r) => (path ?? r.path) === r.path && r.path.startsWith(prefix))
  }

  const control = async (url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const route = `${req.method ?? ''} ${url.pathname}`
    if (route === 'GET /_receiver/requests') {
      // `min` long-polls, because deliveries happen after the response that caused them (waitUntil, queues).
      const min = Number(url.searchParams.get('min') ?? 0)
      const deadline = Date.now() + Math.min(Number(url.searchParams.get('timeoutMs') ?? 5_000), WAIT_MAX_MS)
      while (matching(url).length < min && Date.now() < deadline) await sleep(WAIT_POLL_MS, undefined, { signal: closing.signal })
      return send(res, 200, 'application/json', JSON.stringify({ requests: matching(url) }))
    }
    if (route === 'DELETE /_receiver/requests') {
      const kept = new Set(matching(url))
      requests = requests.filter((r) => !kept.has(r))
      return send(res, 200, 'application/json', '{"cleared":true}')
    }
    const body = await readJson(req)
    if (route === 'POST /_receiver/answers') {
      const path = body['path']
      const answers = body['answers']
      if (typeof path !== 'string' || !Array.isArray(answers)) throw new ControlError(400, 'body must be {"path":"/x","answers":[...]}')
      program(path, answers.map(parseSpec))
      return send(res, 200, 'application/json', JSON.stringify({ path, queued: queues.get(path)?.length ?? 0 }))
    }
    if (route === 'POST /_receiver/reset') {
      const prefix = body['prefix'] ?? body['path'] ?? '/'
      if (typeof prefix !== 'string') throw new ControlError(400, 'prefix must be a string')
      reset(prefix)
      return send(res, 200, 'application/json', '{"reset":true}')
    }
    throw new ControlError(404, `no control route ${route}`)
  }

  const receive = async (url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = (await readText(req)).slice(0, BODY_MAX_CHARS)
    const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name.toLowerCase(), [value ?? ''].flat().join(', ')]))
    requests.push({ at: new Date().toISOString(), method: req.method ?? '', path: url.pathname, query: url.search, headers, body })
    const answer = queues.get(url.pathname)?.shift() ?? DEFAULT_ANSWER
    log(describe(req.method ?? '', url.pathname, answer, headers, body, webhookSecret))
    if (answer.down) return void req.socket.destroy()
    res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers })
    res.end(answer.body)
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://receiver')
    const handler = url.pathname.startsWith('/_receiver/') ? control(url, req, res) : receive(url, req, res)
    handler.catch((err: unknown) => {
      const status = err instanceof ControlError ? err.status : 500
      if (res.headersSent) res.destroy()
      else send(res, status, 'application/json', JSON.stringify({ error: err instanceof Error ? err.message : String(err) }))
    })
  })
  await new Promise<void>((resolve) => server.listen(port, host, resolve))
  const { port: bound } = server.address() as AddressInfo
  return {
    url: `http://${host}:${bound}`,
    get requests() {
      return requests
    },
    program,
    reset,
    close: () =>
      new Promise((resolve) => {
        closing.abort()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function toAnswer(spec: AnswerSpec): Answer {
  const base = spec.preset === undefined ? DEFAULT_ANSWER : PRESETS[spec.preset]
  return {
    status: spec.status ?? base.status,
    body: spec.body ?? (spec.status === undefined ? base.body : ''),
    headers: { ...base.headers, ...spec.headers },
    down: base.down,
  }
}

function parseSpec(value: unknown): AnswerSpec {
  if (typeof value !== 'object' || value === null) throw new ControlError(400, 'each answer must be an object')
  const spec = value as Record<string, unknown>
  const { preset, status, body, headers, count } = spec
  if (preset !== undefined && !(typeof preset === 'string' && preset in PRESETS)) {
    throw new ControlError(400, `preset must be one of ${Object.keys(PRESETS).join(', ')}`)
  }
  if (status !== undefined && (typeof status !== 'number' || status < 200 || status > 599)) throw new ControlError(400, 'status must be 200-599')
  if (body !== undefined && typeof body !== 'string') throw new ControlError(400, 'body must be a string')
  if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1))
    throw new ControlError(400, 'count must be a positive integer')
  if (headers !== undefined && (typeof headers !== 'object' || headers === null || Object.values(headers).some((v) => typeof v !== 'string'))) {
    throw new ControlError(400, 'headers must map names to strings')
  }
  return {
    preset: preset as AnswerPreset | undefined,
    status,
    body,
    count,
    headers: Object.fromEntries(Object.entries((headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v])),
  }
}

/** What `npm start` shows of a delivery: the answer, the headers, the signature check when a secret is known, the JSON body pretty-printed. */
export function describe(method: string, path: string, answer: Answer, headers: Record<string, string>, body: string, secret?: string): string {
  const outcome = answer.down ? 'socket destroyed' : String(answer.status)
  const lines = [`[receiver] ${method} ${path} -> ${outcome}`]
  for (const name of Object.keys(headers).sort()) lines.push(`  ${name}: ${headers[name] ?? ''}`)
  if (secret !== undefined && headers['webhook-signature'] !== undefined) lines.push(`  ${verifyStandardWebhook(secret, headers, body)}`)
  let shown = body
  try {
    shown = JSON.stringify(JSON.parse(body), null, 2)
  } catch {
    /* not JSON: shown as sent */
  }
  if (shown !== '') lines.push(shown)
  return lines.join('\n')
}

/** One line: the verdict of the `standardwebhooks` package, as any receiver would run it. */
export function verifyStandardWebhook(secret: string, headers: Record<string, string>, body: string): string {
  try {
    new Webhook(secret).verify(body, {
      'webhook-id': headers['webhook-id'] ?? '',
      'webhook-timestamp': headers['webhook-timestamp'] ?? '',
      'webhook-signature': headers['webhook-signature'] ?? '',
    })
    return 'standardwebhooks: signature verified'
  } catch (err) {
    return `standardwebhooks: NOT verified (${err instanceof Error ? err.message : String(err)})`
  }
}
