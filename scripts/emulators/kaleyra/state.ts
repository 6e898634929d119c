/** @module Kaleyra pod emulator, state: accounts, numbers with their keys, fleets, the request log and its in-flight counts. */
import { ControlError, decodeSegment } from '../http.js'
import { PHONE_PATTERN, PHONE_RULE } from '../../../src/rules/phone-rule.js'
import { generateSpkiPem, keyPool, type PemStyle } from '../keys.js'
import { FaultPlan } from './faults.js'

export type NoKeyShape = 'empty' | 'status-only'

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
  /** Calls of Kaleyra's Set API (requests carrying `business_public_key`) for this number: refused, never honoured. */
  sets: number
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
  /** What made it a write (a method, a body, a key field): always empty unless flowkey broke its promise. */
  writes: string[]
}

const ANY = '*'
const numberKey = (sid: string, phone: string): string => `${sid} ${phone}`

/**
 * Control paths accept `+91…`, `%2B91…` or `91…` by flowkey's own phone rule; anything else is kept as
 * given, so a test can still register a number flowkey would refuse. The upstream route does not (see `parseReadPath`).
 */
export function normalizePhone(raw: string): string {
  const phone = decodeSegment(raw).trim()
  const digits = PHONE_PATTERN.exec(phone)?.[1]
  return digits === undefined ? phone : `+${digits}`
}

/** Everything the emulator knows, keyed by sid+phone so parallel test files with distinct SIDs never see each other. */
export class EmulatorState {
  readonly accounts = new Map<string, AccountState>()
  readonly numbers = new Map<string, NumberState>()
  /** Faults, latency and per-pod rules still to come. */
  readonly plan = new FaultPlan()
  requests: UpstreamRequest[] = []
  /** Keyed by sid, with `*` for the whole pod. */
  readonly inFlight = new Map<string, { now: number; max: number }>()

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
    const refused = phones.find((phone) => !PHONE_PATTERN.test(phone))
    if (refused !== undefined) throw new ControlError(400, `fleet number "${refused}": ${PHONE_RULE}`)
    const pool = pems ?? (await keyPool())
    phones.forEach((phone, i) => {
      const pem = pool[i % pool.length] ?? null
      this.numbers.set(numberKey(sid, phone), { sid, phone, pem, status, pemStyle: 'lines', noKeyShape: 'empty', sets: 0 })
    })
    return phones
  }

  number(sid: string, phone: string): NumberState | undefined {
    return this.numbers.get(numberKey(sid, phone))
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

  deleteNumber(number: NumberState): void {
    this.numbers.delete(numberKey(number.sid, number.phone))
  }

  /** Kept here for the bench, which slows a whole account down. */
  setLatency(ms: number, sid: string | null, phone: string | null): void {
    this.plan.setLatency(ms, sid, phone)
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
    this.plan.reset(sid)
    if (sid === null) {
      this.accounts.clear()
      this.numbers.clear()
      this.requests = []
      this.inFlight.clear()
      return
    }
    this.accounts.delete(sid)
    for (const [key, number] of this.numbers) if (number.sid === sid) this.numbers.delete(key)
    this.clearRequests(sid)
  }
}
