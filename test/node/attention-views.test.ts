/**
 * @module Needs attention, said once: through a series of fleet states on the real Worker, /v1/status, /healthz,
 * /healthz?strict=1, the status page and `npx flowkey status` give the same count and the same reasons.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ATTENTION_REASONS, REASON_WORDS, type AttentionReason } from '../../src/rules/attention.js'
import { LIVE_ADMIN_TOKEN, LIVE_SID, ROOT, startLiveFlowkey, type LiveFlowkey } from '../support/node/live-worker.js'

const A = '+919830100001'
const B = '+919830100002'
const C = '+919830100003'
const PHONES = [A, B, C]
const auth = { authorization: `Bearer ${LIVE_ADMIN_TOKEN}` }

/** What one view says: which numbers need attention and why, which channels, and whether that is a red light. */
interface Said {
  numbers: Record<string, AttentionReason[]>
  channels: string[]
  red: boolean
}

let live: LiveFlowkey

beforeAll(async () => {
  live = await startLiveFlowkey('attention', PHONES, { FAILING_AFTER: '3' }, [A])
}, 180_000)
afterAll(async () => {
  await live?.stop()
})

async function json<T>(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${live.base}${path}`, { headers })
  return { status: res.status, body: (await res.json()) as T }
}

interface StatusBody {
  numbers: { phone: string; attention: AttentionReason[] }[]
  notifications: { channels: Record<string, { configured: boolean; attention: string[] }> }
}
async function fromStatus(): Promise<Said> {
  const { body } = await json<StatusBody>('/v1/status', auth)
  const numbers = Object.fromEntries(body.numbers.filter((n) => n.attention.length > 0).map((n) => [n.phone, n.attention]))
  const channels = Object.entries(body.notifications.channels)
    .filter(([, c]) => c.attention.length > 0)
    .map(([name]) => name)
  return { numbers, channels, red: Object.keys(numbers).length > 0 || channels.length > 0 }
}

interface HealthBody {
  fleet: {
    attention: number
    reasons: Record<AttentionReason, number>
    examples: { phone: string; reasons: AttentionReason[] }[]
    notifications: { needing_attention: string[] }
  }
}
async function fromHealth(): Promise<Said & { count: number; reasons: Record<AttentionReason, number>; strict: number; plain: number }> {
  const plain = await json<HealthBody>('/healthz')
  const strict = await json<HealthBody>('/healthz?strict=1')
  const fleet = plain.body.fleet
  return {
    numbers: Object.fromEntries(fleet.examples.map((e) => [e.phone, e.reasons])),
    channels: fleet.notifications.needing_attention,
    red: strict.status === 503,
    count: fleet.attention,
    reasons: fleet.reasons,
    strict: strict.status,
    plain: plain.status,
  }
}

/** The page's sentence, and each number's badges of the reasons' own words. */
async function fromPage(): Promise<{ sentence: string; numbers: Record<string, string[]> }> {
  const html = await (await fetch(`${live.base}/`)).text()
  const sentence = /<p class="summary">.*?<span>([^<]*)<\/span>/s.exec(html)?.[1] ?? ''
  const numbers: Record<string, string[]> = {}
  for (const item of html.split('<li').slice(1)) {
    const phone = />(\+\d+)<\/a>/.exec(item)?.[1]
    const badges = [...item.matchAll(/<span class="badge bad">([^<]*)<\/span>/g)].map((m) => m[1] ?? '')
    if (phone && badges.length > 0) numbers[phone] = badges
  }
  return { sentence, numbers }
}

function fromCli(): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'flowkey.js'), 'status'],
      { cwd: ROOT, timeout: 60_000, env: { ...process.env, FLOWKEY_URL: live.base, ADMIN_TOKEN: LIVE_ADMIN_TOKEN } },
      (error, stdout) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout }),
    )
  })
}

const label = (r: AttentionReason): string => REASON_WORDS[r].charAt(0).toUpperCase() + REASON_WORDS[r].slice(1)

/** Every view against the expected verdict. */
async function expectEveryView(expected: { numbers: Record<string, AttentionReason[]>; channels: string[] }): Promise<void> {
  const count = Object.keys(expected.numbers).length
  const red = count > 0 || expected.channels.length > 0

  expect(await fromStatus()).toEqual({ ...expected, red })

  const health = await fromHealth()
  expect({ numbers: health.numbers, channels: health.channels, red: health.red }).toEqual({ ...expected, red })
  expect(health.count).toBe(count)
  expect(health.plain).toBe(200)
  for (const reason of ATTENTION_REASONS) expect(health.reasons[reason]).toBe(Object.values(expected.numbers).filter((rs) => rs.includes(reason)).length)

  const page = await fromPage()
  expect(page.sentence).toBe(
    count === 0 && expected.channels.length === 0
      ? `None of the ${PHONES.length} watched numbers needs attention.`
      : `${count} of ${PHONES.length} watched numbers need${count === 1 ? 's' : ''} attention${expected.channels.length ? `, and ${expected.channels.length} notification channel${expected.channels.length === 1 ? ' does' : 's do'}` : ''}.`,
  )
  expect(page.numbers).toEqual(Object.fromEntries(Object.entries(expected.numbers).map(([phone, rs]) => [phone, rs.map(label)])))

  const cli = await fromCli()
  expect(cli.code).toBe(red ? 1 : 0)
  expect(cli.stdout).toContain(count === 0 ? `None of the ${PHONES.length} numbers needs attention.` : `${count} of ${PHONES.length} numbers need attention:`)
  for (const [phone, reasons] of Object.entries(expected.numbers)) {
    expect(cli.stdout).toMatch(new RegExp(`\\${phone} +${reasons.map((r) => REASON_WORDS[r]).join('; ')}`))
  }
  for (const phone of PHONES.filter((p) => !(p in expected.numbers))) expect(cli.stdout).not.toContain(phone)
  for (const channel of expected.channels) expect(cli.stdout).toContain(`  ${channel}: last delivery failed`)
}

/** Waits until the ledger has tried the channel's deliveries (its alarm runs them on the wall clock). */
async function untilChannelSays(name: string, attention: boolean): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const { body } = await json<StatusBody>('/v1/status', auth)
    if ((body.notifications.channels[name]?.attention.length ?? 0) > 0 === attention) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`channel ${name} did not ${attention ? 'start' : 'stop'} needing attention`)
}

describe('one verdict in every view (FAILING_AFTER=3)', () => {
  it('starts with nothing to do', async () => {
    await untilChannelSays('slack', false)
    await expectEveryView({ numbers: {}, channels: [] })
  })

  it('a single failed check and a single failed probe are not yet reasons', async () => {
    await live.control('POST', '/faults', { sid: LIVE_SID, phone: B, kind: '401', count: 1000 })
    live.flow.put(`/flow/${A.slice(1)}`, { mode: '500' })
    await live.check()
    await expectEveryView({ numbers: {}, channels: [] })
    const page = await (await fetch(`${live.base}/`)).text()
    expect(page).toContain('Failed, not alerted yet')
    expect(page).not.toContain('keeps failing')
  })

  it('FAILING_AFTER of them are: check_failing and endpoint_failing everywhere', async () => {
    await live.check()
    await expectEveryView({ numbers: {}, channels: [] })
    await live.check()
    await expectEveryView({ numbers: { [A]: ['endpoint_failing'], [B]: ['check_failing'] }, channels: [] })
  })

  it('a signature turned MISMATCH is a reason at once', async () => {
    await live.control('PUT', `/numbers/${encodeURIComponent(C)}/status`, { status: 'MISMATCH' })
    await live.check()
    await expectEveryView({ numbers: { [A]: ['endpoint_failing'], [B]: ['check_failing'], [C]: ['signature_invalid'] }, channels: [] })
  })

  it('a failing notification channel needs attention in every view', async () => {
    live.receiver.program('/slack', [{ status: 500, body: 'down', count: 1000 }])
    await live.control('PUT', `/numbers/${encodeURIComponent(C)}/status`, { status: 'VALID' })
    await live.check()
    await untilChannelSays('slack', true)
    await expectEveryView({ numbers: { [A]: ['endpoint_failing'], [B]: ['check_failing'] }, channels: ['slack'] })
  })
})
