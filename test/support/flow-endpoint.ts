/** @module Test-side client of the Flow endpoint emulator's control API (scripts/emulators/README.md), scoped by a path prefix per test file. */
import { expect, inject } from 'vitest'

export const flowEndpointUrl = (): string => inject('flowEndpointUrl')
export const closedPortUrl = (): string => inject('closedPortUrl')

export type EndpointMode = 'normal' | '421' | '432' | '500' | 'hang' | 'reset' | 'garbage' | 'wrong-encryption' | 'wrong-answer' | 'quoted' | 'redirect'

export interface ReceivedCall {
  method: string
  path: string
  query: string
  headers: Record<string, string>
  body: string
  fields: string[] | null
  signature: 'absent' | 'valid' | 'invalid' | 'unchecked'
  decrypted: { plaintext: string; aesKeyHex: string; ivHex: string } | null
  decryptError: string | null
  status: number
  answer: string
}

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${flowEndpointUrl()}/_flow${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })
  expect(res.status, `${method} /_flow${path}: ${res.status} ${res.ok ? '' : await res.clone().text()}`).toBe(200)
  return res.json()
}

/** The endpoints under one prefix, e.g. `/t/probe-test`: a test file's own corner of the shared emulator. */
export class FlowEndpoints {
  constructor(readonly prefix: string) {}

  url(name: string, query = ''): string {
    return `${flowEndpointUrl()}${this.prefix}/${name}${query}`
  }
  put(name: string, settings: { privateKey?: string; appSecret?: string | null; mode?: EndpointMode; latencyMs?: number }): Promise<{ publicKey: string }> {
    return control('PUT', '/endpoints', { path: `${this.prefix}/${name}`, ...settings })
  }
  async calls(name?: string): Promise<ReceivedCall[]> {
    const { calls } = await control<{ calls: ReceivedCall[] }>('GET', `/calls?prefix=${encodeURIComponent(name ? `${this.prefix}/${name}` : this.prefix)}`)
    return name ? calls.filter((c) => c.path === `${this.prefix}/${name}` || c.path.startsWith(`${this.prefix}/${name}/`)) : calls
  }
  reset(): Promise<unknown> {
    return control('POST', '/reset', { prefix: this.prefix })
  }
}
