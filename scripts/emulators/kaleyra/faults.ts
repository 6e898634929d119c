/** @module Kaleyra pod emulator, faults: the planned wrong answers, added latency and per-pod behaviour, and how each fault is answered. */
import type { ServerResponse } from 'node:http'
import { send, sendJson } from '../http.js'
import { BODIES } from './bodies.js'

export const FAULT_KINDS = [
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
] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

export function isFaultKind(value: unknown): value is FaultKind {
  return typeof value === 'string' && (FAULT_KINDS as readonly string[]).includes(value)
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
export interface PodRule {
  latencyMs: number
  /** Drops every connection: the pod cannot be reached. */
  down: boolean
  /** Answers RBC001 for the SID: the account does not live on this pod. */
  refuse: boolean
}

const HUGE_BODY_BYTES = 10 * 1024 * 1024
const ANY = '*'

/** What is planned to go wrong, keyed by sid (and phone) so parallel test files never see each other's faults. */
export class FaultPlan {
  faults: Fault[] = []
  /** Added delay in ms keyed by `sid phone`, either part `*`; matching entries add up. */
  readonly latency = new Map<string, number>()
  /**
   * One emulator can stand for all four pods: a base URL ending in `/pods/<pod>` is that pod,
   * and each can behave differently for a SID (`<pod> <sid>`): slower, down, or refusing the SID.
   */
  readonly podRules = new Map<string, PodRule>()

  add(fault: Fault): void {
    this.faults.push(fault)
  }

  /** Consumes one matching fault, oldest first. */
  take(sid: string, phone: string): Fault | null {
    const fault = this.faults.find((f) => (f.sid ?? sid) === sid && (f.phone ?? phone) === phone)
    if (fault === undefined) return null
    if (--fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault)
    return fault
  }

  /** Drops the pending faults of one sid, or all of them. */
  clearFaults(sid: string | null): void {
    this.faults = this.faults.filter((f) => sid !== null && f.sid !== sid)
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

  podRule(pod: string | null, sid: string): PodRule | undefined {
    return pod === null ? undefined : this.podRules.get(`${pod} ${sid}`)
  }

  setPodRule(pod: string, sid: string, rule: PodRule): void {
    this.podRules.set(`${pod} ${sid}`, rule)
  }

  reset(sid: string | null): void {
    if (sid === null) {
      this.faults = []
      this.latency.clear()
      this.podRules.clear()
      return
    }
    this.faults = this.faults.filter((f) => f.sid !== sid)
    for (const key of this.latency.keys()) if (key.startsWith(`${sid} `)) this.latency.delete(key)
    for (const key of this.podRules.keys()) if (key.endsWith(` ${sid}`)) this.podRules.delete(key)
  }
}

/** Answers one fault; `closing` ends a 10 MB stream when the emulator shuts down. */
export async function answerFault(fault: Fault, res: ServerResponse, closing: AbortSignal): Promise<void> {
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
