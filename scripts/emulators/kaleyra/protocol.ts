/** @module Kaleyra pod emulator, protocol: the published Get Encryption Public Key call, its checks in order and its answers, quirks included. */
import { decodeSegment } from '../http.js'
import { stylePem } from '../keys.js'
import { BODIES } from './bodies.js'
import type { EmulatorState, NumberState } from './state.js'

/** The read's one method: Kaleyra's Get is a POST, and its Set is the same POST with a key field. */
export const READ_METHOD = 'POST'
const READ_PATH = /^(?:\/pods\/(in|sg|eu|na))?\/v2\/([^/]+)\/whatsapp\/([^/]+)\/flows_encryption$/
const FORM_CONTENT_TYPE = /^application\/x-www-form-urlencoded\s*(;.*)?$/i

export interface ReadAddress {
  /** The pod the request was addressed to (`/pods/<pod>` base), or null for the plain base. */
  pod: string | null
  sid: string
  phone: string
}
export interface ReadRequest {
  method: string
  sid: string
  phone: string
  apiKey: string | undefined
  contentType: string | null
}
export interface ProtocolAnswer {
  status: number
  body: object
  headers?: Record<string, string>
}

/** `+91…` and `%2B91…` are one number; a bare `91…` stays distinct so a client that drops the `+` is caught. */
export function parseReadPath(pathname: string): ReadAddress | null {
  const match = READ_PATH.exec(pathname)
  if (match === null) return null
  return { pod: match[1] ?? null, sid: decodeSegment(match[2] ?? ''), phone: decodeSegment(match[3] ?? '') }
}

/** Not Kaleyra's answer but the emulator's: flowkey only reads, so a body or a key field (the Set) is refused before any check. */
export function refuseWrite(writes: readonly string[]): ProtocolAnswer {
  const write = writes.join(', ')
  return { status: 405, body: { code: 'WA-405', message: `flowkey sent a write: ${write}`, data: {}, error: { write } } }
}

/** The documented checks, in order: method, account and key, account enabled, form content type, number held. */
export function answerRead(state: EmulatorState, req: ReadRequest): ProtocolAnswer {
  if (req.method !== READ_METHOD) {
    return {
      status: 405,
      headers: { allow: READ_METHOD },
      body: { code: 'WA-405', message: 'Method Not Allowed', data: {}, error: { method: `${req.method} is not allowed` } },
    }
  }
  const account = state.accounts.get(req.sid)
  if (account === undefined || req.apiKey !== account.apiKey) return { status: 401, body: BODIES.rbc001 }
  if (!account.enabled) return { status: 401, body: BODIES.wa401 }
  if (!FORM_CONTENT_TYPE.test(req.contentType ?? '')) return { status: 400, body: BODIES.wa400 }
  const number = state.number(req.sid, req.phone)
  if (number === undefined) return { status: 400, body: BODIES.wa400Phone }
  return { status: 200, body: successBody(number) }
}

/** `data` is an array on success: one entry with the key, a status-only entry, or none, as the number is set up. */
function successBody(number: NumberState): object {
  const status = { business_public_key_signature_status: number.status }
  const data =
    number.pem !== null ? [{ business_public_key: stylePem(number.pem, number.pemStyle), ...status }] : number.noKeyShape === 'status-only' ? [status] : []
  return { code: 'WA-200', message: 'Request Processed Successfully', data, error: {} }
}
