/** @module The webhook receiver answers like Slack's incoming webhooks and replays programmed failures in order. */
import { beforeAll, expect, inject, it } from 'vitest'

const base = inject('receiverUrl')
// Unique to this file: the receiver is shared by every test file running in parallel.
const PREFIX = '/emu-receiver-test'

async function control(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}/_receiver${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })
  expect(res.status, `${method} ${path}`).toBe(200)
  return res.json()
}

const post = (path: string, body = '{"text":"hi"}'): Promise<Response> =>
  fetch(`${base}${PREFIX}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Webhook-Id': 'msg_1' }, body })

beforeAll(async () => {
  await control('POST', '/reset', { prefix: PREFIX })
})

it('answers 200 ok by default and records the request with lowercased headers', async () => {
  const res = await post('/slack')
  expect([res.status, await res.text()]).toEqual([200, 'ok'])
  const { requests } = await control('GET', `/requests?path=${PREFIX}/slack`)
  expect(requests).toEqual([
    expect.objectContaining({
      method: 'POST',
      path: `${PREFIX}/slack`,
      body: '{"text":"hi"}',
      headers: expect.objectContaining({ 'content-type': 'application/json', 'webhook-id': 'msg_1' }),
    }),
  ])
})

it('replays queued answers in order, then falls back to the default', async () => {
  await control('POST', '/answers', { path: `${PREFIX}/hook`, answers: [{ status: 500, count: 2 }, { preset: 'rate_limited' }, { preset: 'invalid_payload' }] })
  const seen: [number, string | null, string][] = []
  for (let i = 0; i < 5; i++) {
    const res = await post('/hook')
    seen.push([res.status, res.headers.get('retry-after'), await res.text()])
  }
  expect(seen).toEqual([
    [500, null, ''],
    [500, null, ''],
    [429, '1', 'rate_limited'],
    [400, null, 'invalid_payload'],
    [200, null, 'ok'],
  ])
})

it('drops the connection when down, and long-polls for late deliveries', async () => {
  await control('POST', '/answers', { path: `${PREFIX}/down`, answers: [{ preset: 'down' }, { preset: 'channel_not_found' }] })
  await expect(post('/down')).rejects.toThrow()
  expect(await (await post('/down')).text()).toBe('channel_not_found')
  setTimeout(() => void post('/late'), 100)
  const { requests } = await control('GET', `/requests?path=${PREFIX}/late&min=1&timeoutMs=3000`)
  expect(requests).toHaveLength(1)
})

// Mirrors test/support/node/global-setup.ts, which the workerd tsconfig cannot include (it is Node code).
declare module 'vitest' {
  export interface ProvidedContext {
    kaleyraUrl: string
    receiverUrl: string
  }
}
