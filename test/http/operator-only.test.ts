/**
 * @module Operator-only routes, listed here by hand (not read from the route table): each answers 401 without the token and
 * with a wrong one, and the route table marks exactly these as operator routes, so none can turn public by a slip.
 */
import { reset } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { ROUTES } from '../../src/http/routes'
import { Account } from '../support/kaleyra'
import { request, testEnv } from '../support/worker'

const account = new Account('HXOPERATORONLY1IN', 'operator-only-api-key')
const PHONE = '%2B919850900001'
const OPERATOR_ONLY: readonly [string, string, string?][] = [
  ['GET', '/v1/status'],
  ['POST', '/v1/check'],
  ['GET', '/v1/numbers'],
  ['POST', '/v1/numbers', '{"numbers":[{"phone":"+919850900002"}]}'],
  ['PUT', `/v1/numbers/${PHONE}`, '{}'],
  ['DELETE', `/v1/numbers/${PHONE}`],
  ['PUT', `/v1/numbers/${PHONE}/mute`, '{"until":"2099-01-01T00:00:00Z","reason":"x"}'],
  ['DELETE', `/v1/numbers/${PHONE}/mute`],
  ['POST', `/v1/numbers/${PHONE}/probe`],
  ['POST', '/v1/notify/test'],
]

beforeAll(async () => {
  await reset()
  await account.create()
})

describe('operator-only routes', () => {
  it('answer 401 without the token and with a wrong one, and change nothing', async () => {
    const env = testEnv(account, { WATCH_NUMBERS: '+919850900001' })
    for (const [method, path, body] of OPERATOR_ONLY) {
      const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer not-the-token' }, { authorization: 'Basic dGVzdDp0ZXN0' }]
      for (const headers of attempts) {
        const res = await request(env, path, { method, headers, body })
        expect(res.status, `${method} ${path}`).toBe(401)
        expect(res.headers.get('www-authenticate'), `${method} ${path}`).toMatch(/^Bearer/)
        await res.arrayBuffer()
      }
    }
    expect((await request(env, '/v1/numbers/%2B919850900002/key')).status).toBe(404)
  })

  it('are exactly the routes the table marks operator', () => {
    const marked = Object.values(ROUTES)
      .filter((d) => d.access === 'operator')
      .map((d) => `${d.route.method.toUpperCase()} ${d.route.path.replace('{phone}', PHONE)}`)
      .sort()
    expect(marked).toEqual(OPERATOR_ONLY.map(([method, path]) => `${method} ${path}`).sort())
  })
})
