/** @module A run that would pass Workers KV's operations per invocation records what fits and leaves the rest to the next run. */
import { env as bindings } from 'cloudflare:workers'
import { beforeAll, expect, it } from 'vitest'
import { parseConfig } from '../../src/config'
import { KV_OPERATIONS_PER_RUN, runCheck, type RunDeps } from '../../src/watch/run-check'
import { STATE_KEY } from '../../src/store/kv-keys'
import type { StateRecord } from '../../src/store/records'
import { Account } from '../support/kaleyra'
import { makeKey } from '../support/keys'
import { testEnv } from '../support/worker'

const account = new Account('HXBUDGETTEST01IN', 'budget-test-api-key')
const PHONES = Array.from({ length: 5 }, (_, i) => `+91989100000${i}`)

beforeAll(async () => {
  await account.create()
  const pem = (await makeKey()).pem
  for (const phone of PHONES) await account.addNumber(phone, { pem })
})

it('defers changes past the KV budget to the next run, losing none and counting within it', async () => {
  expect(KV_OPERATIONS_PER_RUN).toBe(1000)
  const { config, problems } = parseConfig(testEnv(account, { WATCH_NUMBERS: PHONES.join(',') }))
  // The 3 reserved operations plus two changes of 2 each.
  const deps = (now: number): RunDeps => ({ kv: bindings.KEYS, fetch, now, log: () => {}, kvOperations: 7 })
  const first = await runCheck(config, problems, deps(Date.now()), { trigger: 'cron', cron: null })
  expect(first.deferred).toBe(3)
  expect(first.numbers.filter((n) => n.deferred)).toHaveLength(3)
  expect(first.cost.kv_reads + first.cost.kv_writes).toBeLessThanOrEqual(7)
  const second = await runCheck(config, problems, deps(Date.now() + 600_000), { trigger: 'cron', cron: null })
  expect(second.deferred).toBe(1)
  const third = await runCheck(config, problems, deps(Date.now() + 1_200_000), { trigger: 'cron', cron: null })
  expect(third.deferred).toBe(0)
  const seen = [first, second, third].flatMap((r) => r.events.filter((e) => e.type === 'key.first_seen').map((e) => e.data.phone))
  expect(seen.sort()).toEqual([...PHONES].sort())
  const state = JSON.parse((await bindings.KEYS.get(STATE_KEY)) as string) as StateRecord
  expect(Object.values(state.numbers).every((s) => s.kid !== null)).toBe(true)
  expect(JSON.parse(state.jwks.body).keys).toHaveLength(5)
})
