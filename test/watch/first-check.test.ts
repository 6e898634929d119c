/** @module A first check stores the key and the routes serve it; a rotation shows up after the next check. */
import { describe, expect, it, beforeAll } from 'vitest'
import { Account } from '../support/kaleyra'
import { makeKey } from '../support/keys'
import { operator, request, testEnv, tick } from '../support/worker'

const account = new Account('HXFIRSTCHECK01IN', 'first-check-key')
const PHONE = '+919810000001'

beforeAll(async () => {
  await account.create()
})

describe('first check', () => {
  it('stores and serves the key', async () => {
    const key = await makeKey()
    await account.addNumber(PHONE, { pem: key.pem })
    const env = testEnv(account, { WATCH_NUMBERS: PHONE })
    await tick(env)
    const res = await request(env, `/v1/numbers/${PHONE}/jwks.json`)
    expect(res.status).toBe(200)
    const jwks = await res.json<{ keys: { kid: string }[] }>()
    expect(jwks.keys).toHaveLength(1)
    const status = await request(env, '/v1/status', operator())
    console.log(JSON.stringify(await status.json(), null, 1).slice(0, 2000))
    const health = await request(env, '/healthz')
    console.log(health.status, await health.text())
  })
})
