/** @module HEARTBEAT_URL hears from every completed run, and a monitor that is down is recorded, not fatal. */
import { beforeAll, expect, inject, it } from 'vitest'
import { Account } from '../support/kaleyra'
import { lastRun, rows } from '../support/ledger'
import { makeKey } from '../support/keys'
import { testEnv, tick } from '../support/worker'

const account = new Account('HXHEARTBEAT001IN', 'heartbeat-test-api-key')
const PHONE = '+919890000001'
const PATH = '/heartbeat-test/ping'

beforeAll(async () => {
  await account.create()
  await account.addNumber(PHONE, { pem: (await makeKey()).pem })
  await fetch(`${inject('receiverUrl')}/_receiver/reset`, { method: 'POST', body: JSON.stringify({ prefix: '/heartbeat-test' }) })
})

async function heartbeat(): Promise<unknown> {
  const [row] = await rows<{ value: string }>(`SELECT value FROM meta WHERE key = 'heartbeat'`)
  return row ? JSON.parse(row.value) : null
}

async function pings(): Promise<{ method: string }[]> {
  const res = await fetch(`${inject('receiverUrl')}/_receiver/requests?path=${PATH}`)
  return (await res.json<{ requests: { method: string }[] }>()).requests
}

it('pings HEARTBEAT_URL with a GET after each completed run, even when every check failed', async () => {
  const env = testEnv(account, { WATCH_NUMBERS: PHONE, HEARTBEAT_URL: `${inject('receiverUrl')}${PATH}` })
  await tick(env)
  await account.fail('401', 1, PHONE)
  await tick(env, Date.now() + 600_000)
  expect((await pings()).map((p) => p.method)).toEqual(['GET', 'GET'])
  expect(await heartbeat()).toMatchObject({ ok: true, error: null })
})

it('records a heartbeat monitor that cannot be reached, and the run still completes', async () => {
  await tick(testEnv(account, { WATCH_NUMBERS: PHONE, HEARTBEAT_URL: 'http://127.0.0.1:9/down' }), Date.now() + 1_200_000)
  expect(await heartbeat()).toMatchObject({ ok: false, error: expect.stringMatching(/HEARTBEAT_URL could not be reached/) })
  expect((await lastRun())?.succeeded).toBe(1)
})
