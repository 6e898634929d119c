/** @module Upgrade without loss: KV records written by flowkey 0.1's own code move into the ledger, every key, history entry and pending event. */
import { abortAllDurableObjects, reset } from 'cloudflare:test'
import { env as bindings } from 'cloudflare:workers'
import { beforeAll, expect, it } from 'vitest'
import legacy from '../fixtures/kv-0.1.json'
import { Account } from '../support/kaleyra'
import { numberRecord, rows } from '../support/ledger'
import { forgetIsolateCache, operator, request, sweep, testEnv, tick } from '../support/worker'
import { Receiver, verify, WEBHOOK_SECRET } from '../notify/helpers'

// The numbers and account of the fixture (test/fixtures/README.md).
const account = new Account('HXLEGACY0001IN', 'legacy-api-key-value')
const [A, B, C] = ['+919811100001', '+919811100002', '+919811100003']
const D = '+447700900123'
const receiver = new Receiver('/ledger-upgrade')
type LegacyRecord = { current: { kid: string; pem: string } | null; history: { id: string; type: string }[] }
const records = legacy as unknown as Record<string, LegacyRecord> & { state: { outbox: { event: { id: string } }[] } }

beforeAll(async () => {
  await reset()
  await abortAllDurableObjects()
  forgetIsolateCache()
  await receiver.reset()
  // As 0.1 left them: the ledger has never run on this deployment.
  for (const [key, value] of Object.entries(legacy)) await bindings.KEYS.put(key, JSON.stringify(value))
})

it('takes over the watch list, every key and history entry, and delivers the pending events with their own ids', async () => {
  await account.create()
  // Kaleyra still says what it said then: B's signature is not valid.
  for (const phone of [A, B, C]) await account.addNumber(phone, { pem: records[`number:${phone}`].current?.pem, status: phone === B ? 'INVALID' : 'VALID' })
  const env = testEnv(account, { WATCH_NUMBERS: `${A},${B},${C}`, WEBHOOK_URL: receiver.url('/hook'), WEBHOOK_SECRET })

  // The watch list: C was deleted (hidden), D was added by an operator.
  const list = await (await request(env, '/v1/numbers', operator())).json<{ numbers: { phone: string; origin: string }[] }>()
  expect(list.numbers.map((n) => [n.phone, n.origin])).toEqual([
    [D, 'operator'],
    [A, 'config'],
    [B, 'config'],
  ])
  expect((await request(env, `/v1/numbers/${C}/key`)).status).toBe(404)

  // Every key, served from the first request, and every history entry.
  await sweep(env)
  for (const phone of [A, B]) {
    const legacyRecord = records[`number:${phone}`]
    const key = await (await request(env, `/v1/numbers/${phone}/key`)).json<{ kid: string; pem: string }>()
    expect(key.kid).toBe(legacyRecord.current?.kid)
    expect(key.pem).toBe(legacyRecord.current?.pem)
    expect((await numberRecord(phone)).history.map((e) => e.id)).toEqual(legacyRecord.history.map((e) => e.id))
  }
  // C's history stays readable though it is no longer watched.
  expect((await numberRecord(C)).history.map((e) => e.type)).toEqual(['key.first_seen'])

  // The five events 0.1 could not deliver go out now, each with the webhook-id it had.
  await sweep(env)
  const hooks = await receiver.requests('/hook', { min: 5 })
  expect(hooks.map((h) => h.headers['webhook-id']).sort()).toEqual(records.state.outbox.map((e) => e.event.id).sort())
  for (const hook of hooks) verify(hook)
  expect(await rows('SELECT * FROM outbox WHERE pending = 1')).toEqual([])

  // The next run sees nothing new: no key is "first seen" again.
  await tick(env, Date.now())
  for (const phone of [A, B]) expect((await numberRecord(phone)).history.map((e) => e.id)).toEqual(records[`number:${phone}`].history.map((e) => e.id))
  expect(await receiver.requests('/hook')).toHaveLength(5)
})
