/** @module Test-side client of the Meta Graph, 360dialog and AWS emulators' control API (scripts/emulators/source-emulator.ts). */
import { expect, inject } from 'vitest'

export type SourceEmulatorName = 'meta' | '360dialog' | 'aws'

const BASE: Record<SourceEmulatorName, () => string> = {
  meta: () => inject('metaGraphUrl'),
  '360dialog': () => inject('d360Url'),
  aws: () => inject('awsUrl'),
}

export interface SeenRequest {
  method: string
  path: string
  id: string | null
  bodyBytes: number
  writes: string[]
}

/** One source emulator, with the numbers of one test file (ids start with `prefix`, so files never meet). */
export class SourceEmulator {
  constructor(
    readonly name: SourceEmulatorName,
    readonly prefix: string,
  ) {}

  get url(): string {
    return BASE[this.name]()
  }

  async control<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/_emulator${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })
    expect(res.status, `${this.name} ${method} /_emulator${path}: ${res.status}`).toBe(200)
    return res.json()
  }

  reset(): Promise<unknown> {
    return this.control('POST', '/reset', { prefix: this.prefix })
  }
  /** `pem` undefined: a fresh key; null: no key. `credential` is the token, the API key, or the AWS access key id allowed. */
  addNumber(
    id: string,
    init: { credential?: string; region?: string; pem?: string | null; status?: string; shape?: 'flat' | 'wrapped' },
  ): Promise<{ pem: string | null }> {
    return this.control('PUT', `/numbers/${encodeURIComponent(id)}`, init)
  }
  rotate(id: string): Promise<{ pem: string }> {
    return this.control('POST', `/numbers/${encodeURIComponent(id)}/rotate`)
  }
  setStatus(id: string, status: string): Promise<unknown> {
    return this.control('PUT', `/numbers/${encodeURIComponent(id)}/status`, { status })
  }
  removeKey(id: string): Promise<unknown> {
    return this.control('DELETE', `/numbers/${encodeURIComponent(id)}/key`)
  }
  fail(kind: string, count = 1, id?: string): Promise<unknown> {
    return this.control('POST', '/faults', { id: id ?? null, kind, count })
  }
  /** AWS: an access key the emulator verifies signatures with. */
  credentials(accessKeyId: string, secret: string, sessionToken?: string): Promise<unknown> {
    return this.control('PUT', `/credentials/${encodeURIComponent(accessKeyId)}`, { secret, sessionToken })
  }
  async requests(): Promise<SeenRequest[]> {
    return (await this.control<{ requests: SeenRequest[] }>('GET', `/requests?id=${encodeURIComponent(this.prefix)}`)).requests
  }
  /** Every request this file's numbers got was a bodiless GET without a key field. */
  async expectOnlyReads(): Promise<SeenRequest[]> {
    const seen = await this.requests()
    for (const r of seen) expect(r, `${this.name} ${r.method} ${r.path}`).toMatchObject({ method: 'GET', bodyBytes: 0, writes: [] })
    return seen
  }
}
