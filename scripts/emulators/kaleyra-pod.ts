/** @module Kaleyra pod emulator: one loopback server wiring the published route (kaleyra/protocol.ts), planned faults (kaleyra/faults.ts) and the /_emulator/ control API (kaleyra/control.ts) to one state (kaleyra/state.ts). */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { ControlError, readBody, sendJson } from './http.js'
import { BODIES } from './kaleyra/bodies.js'
import { handleControl } from './kaleyra/control.js'
import { answerFault } from './kaleyra/faults.js'
import { answerRead, parseReadPath, READ_METHOD, refuseWrite, type ProtocolAnswer } from './kaleyra/protocol.js'
import { EmulatorState } from './kaleyra/state.js'
import { ReadGuard } from './read-only.js'

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
  /** Every request but the control API's, with the writes among them; never cleared. */
  guard: ReadGuard
}

const BODY_TEXT_MAX_CHARS = 64 * 1024

export async function startKaleyraPod(opts: KaleyraPodOptions = {}): Promise<KaleyraPod> {
  const { port = 0, host = '127.0.0.1', pod = 'in', log = () => {} } = opts
  const state = new EmulatorState()
  const guard = new ReadGuard('kaleyra', READ_METHOD)
  // Aborted on close, so latency sleeps and 10 MB streams never hold the process open.
  const closing = new AbortController()
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator')
    const handler = url.pathname.startsWith('/_emulator/')
      ? handleControl(state, url, req, res)
      : handleUpstream(state, guard, url, req, res, closing.signal, (line) => log(`[kaleyra:${pod}] ${line}`))
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
    guard,
    close: () =>
      new Promise((resolve) => {
        closing.abort()
        server.close(() => resolve())
        // 'timeout' faults hold sockets open on purpose; without this close would wait for them.
        server.closeAllConnections()
      }),
  }
}

/** Logs the request and refuses a write, then lets the pod's rules and the planned faults speak before the protocol does. */
async function handleUpstream(
  state: EmulatorState,
  guard: ReadGuard,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
  closing: AbortSignal,
  log: (line: string) => void,
): Promise<void> {
  const method = req.method ?? ''
  const address = parseReadPath(url.pathname)
  const end = address === null ? () => {} : state.begin(address.sid, address.phone)
  const started = Date.now()
  res.once('close', () => {
    end()
    log(`${method} ${req.url ?? ''} -> ${res.writableFinished ? res.statusCode : 'aborted'} in ${Date.now() - started} ms`)
  })
  const body = await readBody(req)
  // Before the route is matched: a body or a write method is caught on any path, a GET's too.
  const writes = guard.inspect(method, url, body, new Date(started))
  if (address === null) {
    if (writes.length > 0) return answer(res, refuseWrite(writes))
    return sendJson(res, 404, { error: `no route ${method} ${url.pathname} on this Kaleyra pod emulator` })
  }
  const { pod, sid, phone } = address
  const contentType = req.headers['content-type'] ?? null
  state.requests.push({
    at: new Date(started).toISOString(),
    method,
    path: req.url ?? '',
    pod,
    sid,
    phone,
    contentType,
    apiKeyPresent: req.headers['api-key'] !== undefined,
    bodyBytes: body.length,
    bodyText: body.toString('utf8').slice(0, BODY_TEXT_MAX_CHARS),
    writes,
  })
  if (writes.length > 0) {
    const number = state.number(sid, phone)
    if (number !== undefined && writes.includes('the field business_public_key')) number.sets += 1
    return answer(res, refuseWrite(writes))
  }
  const rule = state.plan.podRule(pod, sid)
  if (rule?.down) {
    res.destroy()
    return
  }
  const delayMs = state.plan.delayFor(sid, phone) + (rule?.latencyMs ?? 0)
  if (delayMs > 0) await sleep(delayMs, undefined, { signal: closing })
  if (rule?.refuse) return sendJson(res, 401, BODIES.rbc001)
  const fault = state.plan.take(sid, phone)
  if (fault !== null) return answerFault(fault, res, closing)
  const apiKey = req.headers['api-key']
  answer(res, answerRead(state, { method, sid, phone, apiKey: typeof apiKey === 'string' ? apiKey : undefined, contentType }))
}

function answer(res: ServerResponse, { status, body, headers = {} }: ProtocolAnswer): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  sendJson(res, status, body)
}
