/** @module Smoke: a cron tick fans out through the queue and the keys are served. */
import { reset } from 'cloudflare:test'
import { beforeEach, expect, it } from 'vitest'
import { Account } from '../support/kaleyra'
import { makeKey } from '../support/keys'
import { forgetIsolateCache, request, testEnv, tick } from '../support/worker'

const account = new Account('HXSMOKETEST0001IN', 'smoke-test-api-key-secret-value')
const A = '+919830000101'

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
})

it('serves the key after one tick', async () => {
  await account.addNumber(A, { pem: (await makeKey()).pem })
  const env = testEnv(account, { WATCH_NUMBERS: A })
  await tick(env)
  const res = await request(env, `/v1/numbers/${A}/key`)
  expect(res.status).toBe(200)
  const jwks = await (await request(env, '/.well-known/jwks.json')).json<{ keys: unknown[] }>()
  expect(jwks.keys).toHaveLength(1)
})
