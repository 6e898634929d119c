/** @module Test-side client of the Kaleyra pod emulator's control API (scripts/emulators/README.md). */
import { expect, inject } from 'vitest'

export const kaleyraUrl = (): string => inject('kaleyraUrl')

export interface UpstreamRequest {
  method: string
  path: string
  pod: string | null
  sid: string
  phone: string
  contentType: string | null
  apiKeyPresent: boolean
  bodyBytes: number
  bodyText: string
  writes: string[]
}

export async function control<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${kaleyraUrl()}/_emulator${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })
  expect(res.status, `${method} /_emulator${path}: ${res.status}`).toBe(200)
  return res.json()
}

/** A Kaleyra account on the emulator, scoped to one SID so parallel test files never meet. */
export class Account {
  constructor(
    readonly sid: string,
    readonly apiKey: string,
  ) {}

  async create(): Promise<this> {
    await control('POST', '/reset', { sid: this.sid })
    await control('PUT', `/accounts/${this.sid}`, { apiKey: this.apiKey, enabled: true })
    return this
  }
  setEnabled(enabled: boolean): Promise<unknown> {
    return control('PUT', `/accounts/${this.sid}`, { apiKey: this.apiKey, enabled })
  }
  addNumber(phone: string, options: { pem?: string | null; status?: string; pemStyle?: string; noKeyShape?: string } = {}): Promise<unknown> {
    return control('PUT', `/numbers/${encodeURIComponent(phone)}`, { sid: this.sid, ...options })
  }
  rotate(phone: string, pem?: string): Promise<{ pem: string }> {
    return control('POST', `/numbers/${encodeURIComponent(phone)}/rotate?sid=${this.sid}`, pem ? { pem } : {})
  }
  setStatus(phone: string, status: string): Promise<unknown> {
    return control('PUT', `/numbers/${encodeURIComponent(phone)}/status?sid=${this.sid}`, { status })
  }
  removeKey(phone: string): Promise<unknown> {
    return control('DELETE', `/numbers/${encodeURIComponent(phone)}/key?sid=${this.sid}`)
  }
  number(phone: string): Promise<{ pem: string | null; status: string; sets: number }> {
    return control('GET', `/numbers/${encodeURIComponent(phone)}?sid=${this.sid}`)
  }
  fail(kind: string, count = 1, phone?: string): Promise<unknown> {
    return control('POST', '/faults', { sid: this.sid, phone: phone ?? null, kind, count })
  }
  /** The next `count` requests (of `phone`, or any) get exactly this answer. */
  answer(status: number, body: string, options: { phone?: string; count?: number; contentType?: string } = {}): Promise<unknown> {
    return control('POST', '/faults', {
      sid: this.sid,
      phone: options.phone ?? null,
      kind: 'custom',
      count: options.count ?? 1,
      status,
      body,
      contentType: options.contentType,
    })
  }
  clearFaults(): Promise<unknown> {
    return control('DELETE', `/faults?sid=${this.sid}`)
  }
  latency(ms: number, phone?: string): Promise<unknown> {
    return control('PUT', '/latency', { ms, sid: this.sid, phone: phone ?? null })
  }
  fleet(prefix: string, count: number): Promise<unknown> {
    return control('PUT', '/fleet', { sid: this.sid, prefix, count })
  }
  async requests(phone?: string): Promise<{ requests: UpstreamRequest[]; inFlight: number; maxInFlight: number }> {
    const query = new URLSearchParams({ sid: this.sid, ...(phone ? { phone } : {}) })
    return control('GET', `/requests?${query}`)
  }
  clearRequests(): Promise<unknown> {
    return control('DELETE', `/requests?sid=${this.sid}`)
  }
}

/** Each pod at its own base on the one emulator (`/pods/<pod>`), so a test can give them different behaviour. */
export function podUrls(): Record<'in' | 'sg' | 'eu' | 'na', string> {
  const url = kaleyraUrl()
  return { in: `${url}/pods/in`, sg: `${url}/pods/sg`, eu: `${url}/pods/eu`, na: `${url}/pods/na` }
}

export function setPod(pod: string, sid: string, rule: { latencyMs?: number; down?: boolean; refuse?: boolean }): Promise<unknown> {
  return control('PUT', `/pods/${pod}`, { sid, ...rule })
}
