/**
 * @module Keys keep being served across the upgrade from 0.1: on a deployment whose KV holds what 0.1 wrote and whose
 * ledger has never run, the very first key request answers with 0.1's key, with no check run and no operator call first.
 */
import { abortAllDurableObjects, reset } from 'cloudflare:test'
import { env as bindings } from 'cloudflare:workers'
import { beforeAll, expect, it } from 'vitest'
import legacy from '../fixtures/kv-0.1.json'
import { Account } from '../support/kaleyra'
import { forgetIsolateCache, request, testEnv } from '../support/worker'

const account = new Account('HXLEGACY0001IN', 'legacy-api-key-value')
const [A, B] = ['+919811100001', '+919811100002']
const records = legacy as unknown as Record<string, { current: { kid: string; pem: string } | null }>

beforeAll(async () => {
  await reset()
  await abortAllDurableObjects()
  forgetIsolateCache()
  for (const [key, value] of Object.entries(legacy)) await bindings.KEYS.put(key, JSON.stringify(value))
})

it('serves 0.1 keys from the first request after the deploy', async () => {
  await account.create()
  const env = testEnv(account, { WATCH_NUMBERS: `${A},${B}` })
  const first = await request(env, `/v1/numbers/${encodeURIComponent(A)}/key`)
  expect(first.status).toBe(200)
  expect(await first.json()).toMatchObject({ kid: records[`number:${A}`]?.current?.kid, pem: records[`number:${A}`]?.current?.pem })
  const jwks = await (await request(env, '/.well-known/jwks.json')).json<{ keys: { kid: string }[] }>()
  expect(jwks.keys.map((k) => k.kid).sort()).toEqual([records[`number:${A}`]?.current?.kid, records[`number:${B}`]?.current?.kid].sort())
  // Unknown numbers stay unknown: the upgrade is settled once, not asked again per miss.
  expect((await request(env, '/v1/numbers/+14155550199/key')).status).toBe(404)
})
