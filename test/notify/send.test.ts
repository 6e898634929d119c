/** @module One attempt and what its answer means: 2xx delivered; 408, 429, 5xx, time-outs and refused connections retried; other answers permanent. */
import { beforeAll, describe, expect, it } from 'vitest'
import { postOnce, type PostRequest } from '../../src/notify/send'
import { createRedactor } from '../../src/secrets/redact'
import { Receiver } from './helpers'

const receiver = new Receiver('/notify-send')
const SECRET_URL = 'https://hooks.slack.example/services/T000/B000/XXXXSECRET'

function req(url: string): PostRequest {
  return { label: 'SLACK_WEBHOOK_URL', url, headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}', redact: createRedactor([url]) }
}
beforeAll(() => receiver.reset())

const io = { fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init), timeoutMs: 2_000, clock: () => Date.now() }

describe('answers', () => {
  it.each([
    [{ status: 200 }, 'delivered'],
    [{ status: 204 }, 'delivered'],
    [{ status: 408 }, 'retry'],
    [{ status: 429 }, 'retry'],
    [{ status: 500 }, 'retry'],
    [{ status: 503 }, 'retry'],
    [{ status: 400 }, 'permanent'],
    [{ status: 401 }, 'permanent'],
    [{ status: 404 }, 'permanent'],
    [{ status: 410 }, 'permanent'],
    [{ status: 302, headers: { location: '/elsewhere' } }, 'permanent'],
  ] as const)('%o is %s', async (answer, kind) => {
    const path = `/status-${answer.status}`
    await receiver.program(path, [answer])
    expect((await postOnce(req(receiver.url(path)), io)).kind).toBe(kind)
  })

  it('reads Retry-After and keeps only the start of a long error body', async () => {
    await receiver.program('/busy', [{ status: 503, headers: { 'retry-after': '90' }, body: `busy ${'x'.repeat(100_000)}` }])
    const outcome = await postOnce(req(receiver.url('/busy')), io)
    expect(outcome).toMatchObject({ kind: 'retry', status: 503, retryAfterMs: 90_000 })
    expect(outcome.kind !== 'delivered' && outcome.error.length).toBeLessThan(260)
  })
})

describe('no answer', () => {
  it('a refused connection is retried', async () => {
    const outcome = await postOnce(req('http://127.0.0.1:9/hook'), io)
    expect(outcome).toMatchObject({ kind: 'retry', status: null, error: expect.stringMatching(/^SLACK_WEBHOOK_URL could not be reached/) })
  })

  it('a receiver slower than the time-out is retried', async () => {
    const hang: typeof fetch = (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))
    const started = Date.now()
    const outcome = await postOnce(req(SECRET_URL), { fetch: hang, timeoutMs: 50, clock: () => Date.now() })
    expect(outcome).toEqual({ kind: 'retry', status: null, error: 'SLACK_WEBHOOK_URL did not answer within 50 ms', retryAfterMs: null })
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('never repeats a secret URL in an error', async () => {
    const leaky: typeof fetch = async (input) => {
      throw new TypeError(`fetch to ${String(input)} failed`)
    }
    const outcome = await postOnce(req(SECRET_URL), { ...io, fetch: leaky })
    expect(outcome).toMatchObject({ kind: 'retry', error: 'SLACK_WEBHOOK_URL could not be reached (fetch to [redacted] failed)' })
  })

  it('asks fetch not to follow redirects, with a time-out signal', async () => {
    let seen: RequestInit | undefined
    const spy: typeof fetch = async (_input, init) => {
      seen = init
      return new Response('ok')
    }
    await postOnce(req(SECRET_URL), { ...io, fetch: spy })
    expect(seen).toMatchObject({ method: 'POST', redirect: 'manual', body: '{"text":"hi"}' })
    expect(seen?.signal).toBeInstanceOf(AbortSignal)
  })
})
