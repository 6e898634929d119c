/**
 * @module POST /v1/check is a run like any other: inline when the planner's subrequest cost fits one message, through the
 * consumer's pipeline (pods measured and ranked, the ranking used next time); 202 and the queue when it does not.
 */
import { reset } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { Account, control, podUrls, setPod } from '../support/kaleyra'
import { forgetIsolateCache, operator, request, testEnv, waitForRun } from '../support/worker'

const account = new Account('HXCHECKROUTE1IN', 'check-route-api-key')

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
  await account.clearRequests()
})

interface Status {
  last_run: { id: string; trigger: string; checked: number; batches: number } | null
  pods: { sid: string; ranking: string[]; measured_at: string | null }[]
}
/** Pod `in` refuses the account, `eu` is down, `sg` answers fastest: `auto` should settle on sg. */
async function sgNearest(phones: readonly string[]): Promise<ReturnType<typeof testEnv>> {
  await setPod('in', account.sid, { refuse: true })
  await setPod('sg', account.sid, { latencyMs: 1 })
  await setPod('eu', account.sid, { down: true })
  await setPod('na', account.sid, { latencyMs: 200 })
  return testEnv(account, { WATCH_NUMBERS: phones.join(','), KALEYRA_POD: 'auto', KALEYRA_POD_URLS: JSON.stringify(podUrls()), KALEYRA_TIMEOUT_MS: '500' })
}

const status = async (env: ReturnType<typeof testEnv>): Promise<Status> => (await request(env, '/v1/status', operator())).json<Status>()

describe('POST /v1/check', () => {
  it('answers 202 and queues the run when its subrequests exceed one message, as the cron would', async () => {
    const { phones } = await control<{ phones: string[] }>('PUT', '/fleet', { sid: account.sid, prefix: '+9198960', count: 14 })
    // Six numbers per message (CHECK_BATCH_SIZE counts subrequests): 14 numbers are three messages.
    const env = testEnv(account, { WATCH_NUMBERS: phones.join(','), CHECK_BATCH_SIZE: '6' })
    const started = Date.now()
    const res = await request(env, '/v1/check', operator({ method: 'POST' }))
    expect(res.status).toBe(202)
    const body = await res.json<{ queued: boolean; batches: number; numbers: number; run_id: string; message: string }>()
    expect(body).toMatchObject({ queued: true, batches: 3, numbers: 14 })
    expect(body.message).toContain('14 numbers are being checked in 3 queue batches')
    await waitForRun(env, started)
    expect((await status(env)).last_run).toMatchObject({ id: body.run_id, trigger: 'manual', checked: 14, batches: 3 })
  })

  it('checks inline through the consumer pipeline: the pods are measured and ranked, and the next check asks the ranked pod first', async () => {
    const { phones } = await control<{ phones: string[] }>('PUT', '/fleet', { sid: account.sid, prefix: '+9198961', count: 3 })
    const env = await sgNearest(phones)
    const first = await request(env, '/v1/check', operator({ method: 'POST' }))
    expect(first.status).toBe(200)
    expect(await first.json()).toMatchObject({ checked: 3, succeeded: 3, failed: 0 })
    const ranked = (await status(env)).pods.find((p) => p.sid === account.sid)
    expect(ranked?.ranking[0]).toBe('sg')
    expect(ranked?.measured_at).not.toBeNull()
    expect((await status(env)).last_run).toMatchObject({ trigger: 'manual', checked: 3, batches: 1 })

    await account.clearRequests()
    expect((await request(env, '/v1/check', operator({ method: 'POST' }))).status).toBe(200)
    const asked = (await account.requests()).requests
    // Ranked fresh a moment ago: no pod is measured again, and every look goes to sg.
    expect(asked).toHaveLength(3)
    expect(new Set(asked.map((r) => r.pod))).toEqual(new Set(['sg']))
  })

  it('?phone= checks one number in the planned pod order, outside any run', async () => {
    const { phones } = await control<{ phones: string[] }>('PUT', '/fleet', { sid: account.sid, prefix: '+9198962', count: 2 })
    const env = await sgNearest(phones)
    const res = await request(env, `/v1/check?phone=${encodeURIComponent(phones[0] ?? '')}`, operator({ method: 'POST' }))
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id: null, checked: 1, numbers: [{ phone: phones[0], pod: 'sg' }] })
    const after = await status(env)
    expect(after.last_run).toBeNull()
    expect(after.pods.find((p) => p.sid === account.sid)?.ranking[0]).toBe('sg')
  })
})
