/** @module Collects what flowkey shows the world (responses, delivered events, log lines) and searches it for every secret in every spelling. */
import { vi, expect } from 'vitest'

/** A leaked run of this many characters of a secret counts: finding 1 was the first 20 characters of the API key. */
export const LEAK_WINDOW_CHARS = 12
/** Shorter spellings (a one-byte test secret's base64) would match any text; a test that sets such a "secret" is testing something else. */
const MIN_NEEDLE_CHARS = 6

export interface Leak {
  where: string
  secret: string
  form: string
}

interface Sample {
  where: string
  text: string
}

/**
 * Written apart from src/secrets/redact.ts, on purpose: a sweep that shared the
 * redactor's idea of a "form" could not catch the redactor missing one.
 */
export class SecretSweep {
  readonly #samples: Sample[] = []
  readonly #needles: Array<{ secret: string; form: string; text: string }> = []

  readonly #secrets = new Set<string>()

  constructor(secrets: readonly string[] = []) {
    this.addSecrets(secrets)
  }

  /** More secrets to search for (a test file's env may be built after the sweep). */
  addSecrets(secrets: readonly string[]): void {
    for (const secret of secrets) {
      if (!secret || this.#secrets.has(secret)) continue
      this.#secrets.add(secret)
      for (const [form, text] of spellings(secret)) this.#needles.push({ secret, form, text: text.toLowerCase() })
    }
  }

  /** Forgets what was collected (not the secrets): one sweep per test. */
  clear(): void {
    this.#samples.length = 0
  }

  add(where: string, text: string): void {
    this.#samples.push({ where, text })
  }

  /** Records a response's status line, headers and body; hands back an unread copy. */
  async response(where: string, res: Response): Promise<Response> {
    const copy = res.clone()
    const headers = [...res.headers].map(([name, value]) => `${name}: ${value}`).join('\n')
    // Read as bytes: a PEM answer is text, but workerd warns when .text() meets its content type.
    this.add(where, `${res.status}\n${headers}\n\n${new TextDecoder().decode(await copy.arrayBuffer())}`)
    return res
  }

  /** Every console line the worker writes (its JSON log) until the returned function is called. */
  captureLogs(): () => void {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        this.add(`console.${level}`, args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '))
      }),
    )
    return () => {
      for (const spy of spies) spy.mockRestore()
    }
  }

  /** Requests a receiver got: their bodies and headers (the Slack URL is where they went, not what they said). */
  received(where: string, requests: ReadonlyArray<{ body: string; headers: Record<string, string> }>): void {
    for (const [i, request] of requests.entries()) {
      this.add(`${where}[${i}]`, `${JSON.stringify(request.headers)}\n${request.body}`)
    }
  }

  get samples(): number {
    return this.#samples.length
  }

  leaks(): Leak[] {
    const found: Leak[] = []
    for (const sample of this.#samples) {
      const haystack = sample.text.toLowerCase()
      for (const needle of this.#needles) {
        if (haystack.includes(needle.text)) found.push({ where: sample.where, secret: `${needle.secret.slice(0, 4)}…`, form: needle.form })
      }
    }
    return found
  }

  /** Fails with where each leak was found; also fails when nothing was collected, so the sweep cannot pass by looking at nothing. */
  expectClean(): void {
    expect(this.samples, 'the sweep collected nothing').toBeGreaterThan(0)
    expect(this.leaks()).toEqual([])
  }
}

/** Whole, any case (compared lower-cased), URL-encoded, base64 and base64url at every byte alignment, and every long-enough run of it. */
function spellings(secret: string): Array<[string, string]> {
  const forms: Array<[string, string]> = [
    ['whole', secret],
    ['url-encoded', encodeURIComponent(secret)],
  ]
  const bytes = new TextEncoder().encode(secret)
  for (let offset = 0; offset < 3; offset++) {
    const prefixed = new Uint8Array(offset + bytes.length)
    prefixed.set(bytes, offset)
    const base64 = btoa(String.fromCharCode(...prefixed))
    const inner = base64.slice(Math.ceil((offset * 8) / 6), Math.floor((prefixed.length * 8) / 6))
    forms.push([`base64+${offset}`, inner], [`base64url+${offset}`, inner.replace(/\+/g, '-').replace(/\//g, '_')])
  }
  // Runs of a URL would match its host, which is no secret: pass a URL's secret path or token as a secret of its own.
  if (!secret.includes('://')) {
    for (let i = 0; i + LEAK_WINDOW_CHARS <= secret.length; i++) forms.push([`part@${i}`, secret.slice(i, i + LEAK_WINDOW_CHARS)])
  }
  return forms.filter(([, text]) => text.length >= MIN_NEEDLE_CHARS)
}
