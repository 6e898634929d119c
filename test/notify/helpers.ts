/** @module Test-side helpers for notifications: the loopback receiver's control API, signed-delivery checks, channel env. */
import { Webhook } from 'standardwebhooks'
import { expect, inject } from 'vitest'
import type { Env } from '../../src/env'
import type { Account } from '../support/kaleyra'
import { testEnv } from '../support/worker'

/** 32 random-looking bytes, base64, behind the Standard Webhooks prefix. */
export const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
export const MINUTE = 60_000

export interface Received {
  at: string
  method: string
  path: string
  headers: Record<string, string>
  body: string
}

export type AnswerSpec = {
  preset?: 'invalid_payload' | 'channel_not_found' | 'rate_limited' | 'down'
  status?: number
  body?: string
  headers?: Record<string, string>
  count?: number
}

/** A slice of the shared receiver, under a path prefix that belongs to one test file. */
export class Receiver {
  readonly base = inject('receiverUrl')
  constructor(readonly prefix: string) {}

  url(path: string): string {
    return `${this.base}${this.prefix}${path}`
  }
  async requests(path: string, wait?: { min: number; timeoutMs?: number }): Promise<Received[]> {
    const query = new URLSearchParams({ path: `${this.prefix}${path}` })
    if (wait) {
      query.set('min', String(wait.min))
      query.set('timeoutMs', String(wait.timeoutMs ?? 2_000))
    }
    const { requests } = await this.control<{ requests: Received[] }>('GET', `/requests?${query}`)
    return requests
  }
  program(path: string, answers: AnswerSpec[]): Promise<unknown> {
    return this.control('POST', '/answers', { path: `${this.prefix}${path}`, answers })
  }
  reset(): Promise<unknown> {
    return this.control('POST', '/reset', { prefix: this.prefix })
  }
  private async control<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}/_receiver${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })
    expect(res.status, `${method} /_receiver${path}`).toBe(200)
    return res.json()
  }
}

/** An env with both channels pointed at the receiver (`/hook` and `/slack` under the file's prefix). */
export function channelEnv(account: Account, receiver: Receiver, vars: Partial<Env> = {}): Env {
  return testEnv(account, {
    WEBHOOK_URL: receiver.url('/hook'),
    WEBHOOK_SECRET,
    SLACK_WEBHOOK_URL: receiver.url('/slack'),
    ...vars,
  })
}

/** The independent verifier: throws unless the delivery carries a valid Standard Webhooks signature. */
export function verify(request: Received, secret = WEBHOOK_SECRET): WebhookBody {
  return new Webhook(secret).verify(request.body, request.headers) as WebhookBody
}

export interface WebhookBody {
  type: string
  timestamp: string
  data: Record<string, unknown> & { phone: string | null }
}

export interface SlackBody {
  text: string
  blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[]
}

/** Every word a Slack message shows, for matching facts without pinning the layout. */
export function slackText(request: Received): string {
  const body = JSON.parse(request.body) as SlackBody
  const parts = [body.text]
  for (const block of body.blocks) {
    if (block.text) parts.push(block.text.text)
    for (const field of block.fields ?? []) parts.push(field.text)
    for (const element of block.elements ?? []) parts.push(element.text)
  }
  return parts.join('\n')
}
