/**
 * @module Deliveries follow the wall clock, driven by the Durable Object's real alarm (runDurableObjectAlarm): a run planned
 * ahead of the clock (wrangler dev --test-scheduled) stamps its events with its time, but sends and retries them now.
 */
import { createExecutionContext, createScheduledController, reset, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import worker from '../../src/index'
import type { Ledger } from '../../src/ledger/ledger-object'
import type { ChannelView } from '../../src/ledger/views'
import { ledgerOf } from '../../src/ledger/stub'
import { Account } from '../support/kaleyra'
import { CRON, forgetIsolateCache, operator, request, waitForRun } from '../support/worker'
import { MINUTE, Receiver, channelEnv, verify, type Received } from './helpers'

const account = new Account('HXWALLCLOCK001IN', 'wall-clock-api-key')
const receiver = new Receiver('/wall-clock')
const A = '+919850300001'
const HOUR = 60 * MINUTE

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await Promise.all([account.create(), receiver.reset()])
  await account.addNumber(A)
})

/** A cron firing at `time`, drained by the queue, with no sweep of the test's own: only the ledger's alarm delivers. */
async function planAhead(env: ReturnType<typeof channelEnv>, time: number): Promise<void> {
  const ctx = createExecutionContext()
  await worker.scheduled(createScheduledController({ scheduledTime: time, cron: CRON }), env, ctx)
  await waitOnExecutionContext(ctx)
  await waitForRun(env, time)
}

/** What the receiver got at `path`, once at least `count` requests arrived (the ledger's own alarm sends them). */
async function arrived(path: string, count: number): Promise<Awaited<ReturnType<Receiver['requests']>>> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const got = await receiver.requests(path)
    if (got.length >= count || Date.now() > deadline) return got
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function webhookChannel(env: ReturnType<typeof channelEnv>): Promise<ChannelView> {
  const res = await request(env, '/v1/status', operator())
  return (await res.json<{ notifications: { channels: { webhook: ChannelView } } }>()).notifications.channels.webhook
}

describe('a run planned an hour ahead of the clock', () => {
  it("is delivered by the ledger's alarm now, its event still stamped with the planned time", async () => {
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: A })
    const planned = Date.now() + HOUR
    await planAhead(env, planned)
    const hooks = await arrived('/hook', 1)
    expect(hooks).toHaveLength(1)
    expect(Date.now()).toBeLessThan(planned)
    expect(verify(hooks[0] as Received)).toMatchObject({ type: 'key.first_seen', timestamp: new Date(planned).toISOString() })
  })

  it('retries on the wall clock: the second attempt is due 5 s after the first, and the real alarm sends it', async () => {
    await receiver.program('/hook', [{ status: 500 }])
    const env = channelEnv(account, receiver, { WATCH_NUMBERS: A })
    const planned = Date.now() + HOUR
    const before = Date.now()
    await planAhead(env, planned)
    expect(await arrived('/hook', 1)).toHaveLength(1)
    const channel = await webhookChannel(env)
    expect(channel).toMatchObject({ pending: 1, failing: true, attention: ['delivery_failing'] })
    const next = Date.parse(channel.next_attempt_at ?? '')
    expect(next).toBeGreaterThanOrEqual(before + 5_000)
    expect(next).toBeLessThan(Date.now() + 6_000)
    // The ledger reads time through its injected I/O: moved 6 s on, its own alarm handler sends the retry.
    await runInDurableObject<Ledger, void>(ledgerOf(env), (ledger) => {
      ledger.io = { ...ledger.io, clock: () => Date.now() + 6_000 }
    })
    await runDurableObjectAlarm(ledgerOf(env))
    const hooks = await arrived('/hook', 2)
    expect(hooks).toHaveLength(2)
    expect(hooks[1]?.headers['webhook-id']).toBe(hooks[0]?.headers['webhook-id'])
    expect(await webhookChannel(env)).toMatchObject({ pending: 0, failing: false, attention: [] })
  })
})
