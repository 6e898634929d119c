/** @module Kaleyra pod emulator: one loopback server wiring the published route (kaleyra/protocol.ts), planned faults (kaleyra/faults.ts) and the /_emulator/ control API (kaleyra/control.ts) to one state (kaleyra/state.ts). */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { ControlError, readBody, sendJson } from './http.js'
import { BODIES } from './kaleyra/bodies.js'
import { handleControl } from './kaleyra/control.js'
import { answerFault } from './kaleyra/faults.js'
import { answerRead, parseReadPath } from './kaleyra/protocol.js'
import { EmulatorState } from './kaleyra/state.js'

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

/** Logs the request, then lets the pod's rules and the planned faults speak before the protocol does. */
async function handleUpstream(
  state: EmulatorState,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
  closing: AbortSignal,
  log: (line: string) => void,
): Promise<void> {
  const address = parseReadPath(url.pathname)
  if (address === null) return sendJson(res, 404, { error: `no route ${req.method ?? ''} ${url.pathname} on this Kaleyra pod emulator` })
  const { pod, sid, phone } = address
  const rule = state.plan.podRule(pod, sid)
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
    pod,
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
  const delayMs = state.plan.delayFor(sid, phone) + (rule?.latencyMs ?? 0)
  if (delayMs > 0) await sleep(delayMs, undefined, { signal: closing })
  if (rule?.refuse) return sendJson(res, 401, BODIES.rbc001)
  const fault = state.plan.take(sid, phone)
  if (fault !== null) return answerFault(fault, res, closing)
  const apiKey = req.headers['api-key']
  const answer = answerRead(state, {
    method: req.method ?? '',
    sid,
    phone,
    apiKey: typeof apiKey === 'string' ? apiKey : undefined,
    contentType,
    form: body.toString('utf8'),
  })
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value)
  sendJson(res, answer.status, answer.body)
}
