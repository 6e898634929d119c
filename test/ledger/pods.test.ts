/** @module KALEYRA_POD=auto over many accounts: pods ranked per SID by round trip, a refusing pod and a down pod left out, each number checked once per run. */
import { reset } from 'cloudflare:test'
import { beforeEach, expect, it } from 'vitest'
import { Account, control, podUrls, setPod } from '../support/kaleyra'
import { forgetIsolateCache, operator, request, testEnv, tick } from '../support/worker'

const SIDS = ['HXPODS000001IN', 'HXPODS000002IN', 'HXPODS000003IN']
const accounts = SIDS.map((sid, i) => new Account(sid, `pods-api-key-${i}`))
/** Per SID: how each pod behaves, and the pod that should serve it. */
const PLAN: { pods: Record<string, { latencyMs?: number; down?: boolean; refuse?: boolean }>; nearest: string }[] = [
  // Gaps of 100 ms and more: a loaded test machine must not turn the ranking round.
  { pods: { in: { latencyMs: 250 }, sg: { latencyMs: 1 }, eu: { down: true }, na: { latencyMs: 120 } }, nearest: 'sg' },
  { pods: { in: { latencyMs: 1 }, sg: { refuse: true }, eu: { down: true }, na: { latencyMs: 150 } }, nearest: 'in' },
  { pods: { in: { down: true }, sg: { latencyMs: 150 }, eu: { latencyMs: 1 }, na: { refuse: true } }, nearest: 'eu' },
]
const PER_SID = [400, 300, 300]

beforeEach(async () => {
  await reset()
  forgetIsolateCache()
})

it('1,000 numbers over three SIDs: each checked once per run, on the nearest pod that serves its account', async () => {
  const phones: string[][] = []
  for (const [i, account] of accounts.entries()) {
    await account.create()
    phones.push((await control<{ phones: string[] }>('PUT', '/fleet', { sid: account.sid, prefix: `+91989${i}0`, count: PER_SID[i] })).phones)
    for (const [pod, rule] of Object.entries(PLAN[i].pods)) await setPod(pod, account.sid, rule)
  }
  // One API key per SID, as a provider with many accounts sets them.
  const keys = Object.fromEntries(accounts.map((a) => [`KALEYRA_API_KEY_${a.sid}`, a.apiKey]))
  const env = testEnv(accounts[0], {
    KALEYRA_SID: '',
    KALEYRA_API_KEY: '',
    KALEYRA_POD: 'auto',
    KALEYRA_POD_URLS: JSON.stringify(podUrls()),
    KALEYRA_TIMEOUT_MS: '500',
    ...keys,
  })
  const numbers = accounts.flatMap((a, i) => phones[i].map((phone) => ({ phone, sid: a.sid, pod: 'auto' })))
  expect(numbers).toHaveLength(1_000)
  expect((await request(env, '/v1/numbers', operator({ method: 'POST', body: JSON.stringify({ numbers }) }))).status).toBe(200)
  for (const a of accounts) await a.clearRequests()

  const t0 = Date.now()
  await tick(env, t0)
  const status = await (
    await request(env, '/v1/status?limit=1000', operator())
  ).json<{
    last_run: { checked: number; succeeded: number }
    numbers: { phone: string; sid: string; pod: string; outcome: string }[]
    pods: { sid: string; ranking: string[]; measured_at: string | null }[]
  }>()
  expect(status.last_run).toMatchObject({ checked: 1_000, succeeded: 1_000 })
  for (const [i, account] of accounts.entries()) {
    const ranking = status.pods.find((p) => p.sid === account.sid)
    expect(ranking?.ranking[0], account.sid).toBe(PLAN[i].nearest)
    // A pod that refuses the SID or is down is not ranked at all.
    for (const [pod, rule] of Object.entries(PLAN[i].pods)) if (rule.down || rule.refuse) expect(ranking?.ranking).not.toContain(pod)
    expect(ranking?.measured_at).not.toBeNull()
    for (const n of status.numbers.filter((n) => n.sid === account.sid)) expect(n.pod, n.phone).toBe(PLAN[i].nearest)
    // Every number once on its nearest pod; each batch's measurement used one of its numbers once more per pod.
    const { requests } = await account.requests()
    const perPhone = new Map<string, number>()
    for (const r of requests.filter((r) => r.pod === PLAN[i].nearest)) perPhone.set(r.phone, (perPhone.get(r.phone) ?? 0) + 1)
    expect(perPhone.size).toBe(PER_SID[i])
    const measured = [...perPhone.values()].filter((n) => n > 1)
    expect(new Set(measured)).toEqual(new Set([2]))
    expect(requests.length).toBe(PER_SID[i] + 4 * measured.length)
  }

  // The next run uses the ranking without measuring again: one request per number.
  for (const a of accounts) await a.clearRequests()
  await tick(env, t0 + 600_000)
  for (const [i, account] of accounts.entries()) {
    const { requests } = await account.requests()
    expect(requests.length).toBe(PER_SID[i])
    expect(new Set(requests.map((r) => r.pod))).toEqual(new Set([PLAN[i].nearest]))
  }
}, 60_000)
