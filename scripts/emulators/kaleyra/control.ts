/** @module Kaleyra pod emulator, control: the JSON routes under /_emulator/ with which tests, `npm start` and the bench set the pod up. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ControlError, decodeSegment, readJson, sendJson } from '../http.js'
import { generateSpkiPem, isPemStyle } from '../keys.js'
import { FAULT_KINDS, isFaultKind, type CustomAnswer, type PodRule } from './faults.js'
import { normalizePhone, type EmulatorState } from './state.js'

export async function handleControl(state: EmulatorState, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parts = url.pathname.split('/').slice(2).map(decodeSegment)
  const route = `${req.method ?? ''} ${parts.map((p, i) => (i === 1 && parts.length > 1 ? ':' : p)).join('/')}`
  const body = await readJson(req)
  const query = (name: string): string | null => url.searchParams.get(name)
  const sidArg = optString(body, 'sid') ?? query('sid')
  const phoneArg = optString(body, 'phone') ?? query('phone')
  const phone = normalizePhone(parts[1] ?? '')
  const { plan } = state
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
      state.deleteNumber(number)
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
      plan.add({ sid: sidArg, phone: phoneArg === null ? null : normalizePhone(phoneArg), kind, remaining: count, ...(answer ? { answer } : {}) })
      return sendJson(res, 200, { faults: plan.faults })
    }
    case 'DELETE faults':
      plan.clearFaults(sidArg)
      return sendJson(res, 200, { faults: plan.faults })
    case 'PUT pods/:': {
      const latency = body['latencyMs'] ?? 0
      if (typeof latency !== 'number' || latency < 0) throw new ControlError(400, 'latencyMs must be a number >= 0')
      const rule: PodRule = { latencyMs: latency, down: optBoolean(body, 'down') ?? false, refuse: optBoolean(body, 'refuse') ?? false }
      plan.setPodRule(parts[1] ?? '', reqString(body, 'sid'), rule)
      return sendJson(res, 200, { pod: parts[1], rule })
    }
    case 'PUT latency': {
      const ms = body['ms']
      if (typeof ms !== 'number' || ms < 0) throw new ControlError(400, 'ms must be a number >= 0')
      plan.setLatency(ms, sidArg, phoneArg === null ? null : normalizePhone(phoneArg))
      return sendJson(res, 200, { latency: Object.fromEntries(plan.latency) })
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
