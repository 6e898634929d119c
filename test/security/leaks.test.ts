/** @module Issue 8, findings 1 and 6: secrets a pod or a receiver echoes never reach a route, an event or a log, in any spelling. */
import { reset } from 'cloudflare:test'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FlowkeyEvent } from '../../src/notify/events'
import { Account } from '../support/kaleyra'
import { makeKey } from '../support/keys'
import { SecretSweep } from '../support/secret-sweep'
import { forgetIsolateCache, operator, request, tick, ADMIN_TOKEN } from '../support/worker'
import { Receiver, WEBHOOK_SECRET, channelEnv, verify } from '../notify/helpers'
import { MINUTE, servedKeys, visitAll } from './helpers'

const API_KEY = 'K7s9Qw2Ez4Rt6Yu8Io0Pa1Sd3Fg5Hj7L'
const account = new Account('HXSECLEAK01IN', API_KEY)
const receiver = new Receiver('/security-leaks')
const SLACK_PATH = '/services/T0SEC00001/B0SEC00002/slackTok3nSecurity00000001'
const SLACK_TOKEN = 'slackTok3nSecurity00000001'
const A = '+919850000001'
const B = '+919850000002'

const env = (vars: Record<string, string> = {}) =>
  channelEnv(account, receiver, { WATCH_NUMBERS: [A, B].join(','), FAILING_AFTER: '2', SLACK_WEBHOOK_URL: receiver.url(SLACK_PATH), ...vars })

let sweep: SecretSweep
let stopLogs: () => void
beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.create()
  await receiver.reset()
  sweep = new SecretSweep([API_KEY, WEBHOOK_SECRET, WEBHOOK_SECRET.slice('whsec_'.length), ADMIN_TOKEN, SLACK_TOKEN, SLACK_PATH, receiver.url(SLACK_PATH)])
  stopLogs = sweep.captureLogs()
})
afterEach(() => stopLogs())

async function history(phone: string, init: RequestInit = {}): Promise<FlowkeyEvent[]> {
  const res = await request(env(), `/v1/numbers/${phone}/history`, init)
  expect(res.status).toBe(200)
  return (await res.json<{ events: FlowkeyEvent[] }>()).events
}

async function collectDeliveries(): Promise<void> {
  sweep.received('webhook', await receiver.requests('/hook'))
  sweep.received('slack', await receiver.requests(SLACK_PATH))
}

describe('finding 1: the API key at the end of a 200-character WA-500 message', () => {
  it('is redacted before the message is cut: no part of it reaches public history, /v1/status, logs or webhooks', async () => {
    for (const phone of [A, B]) await account.addNumber(phone, { pem: (await makeKey()).pem })
    const t0 = Date.now()
    await tick(env(), t0)
    const before = await servedKeys(env(), [A, B])
    // Exactly as found: the key closes a message of 200 characters; its base64 rides in `error`.
    const message = `Please try again later; request failed for api-key=`.padEnd(200 - API_KEY.length, '.') + API_KEY
    expect(message).toHaveLength(200)
    const body = JSON.stringify({ code: 'WA-500', message, data: {}, error: { error: `echo ${btoa(`api-key: ${API_KEY}`)}` } })
    await account.answer(500, body, { phone: A, count: 100 })
    await tick(env(), t0 + 10 * MINUTE)
    await tick(env(), t0 + 20 * MINUTE)

    const whole = await history(A, operator())
    expect(whole[0]).toMatchObject({ type: 'check.failing', data: { sid: account.sid, error: { code: 'kaleyra_server_error' } } })
    expect(whole[0].data.error?.message).toContain('[redacted]')
    const open = await history(A)
    expect(open[0].data).toMatchObject({ sid: null, error: { code: 'kaleyra_server_error' } })
    expect(Object.keys(open[0].data.error ?? {})).toEqual(['code'])

    const failing = (await receiver.requests('/hook')).map((r) => verify(r)).filter((e) => e.type === 'check.failing')
    expect(failing.map((e) => e.data.phone)).toEqual([A])
    expect(failing[0].data.error).toMatchObject({ code: 'kaleyra_server_error', message: expect.stringContaining('[redacted]') })

    await collectDeliveries()
    await visitAll(env(), sweep, [A, B])
    sweep.expectClean()
    expect(await servedKeys(env(), [A, B])).toEqual(before)
  })

  it('a signature status that holds the key is refused as kaleyra_bad_response, never stored or shown', async () => {
    await account.addNumber(A, { pem: (await makeKey()).pem })
    await account.addNumber(B, { pem: (await makeKey()).pem })
    const t0 = Date.now()
    await tick(env(), t0)
    const before = await servedKeys(env(), [A, B])
    await account.setStatus(A, API_KEY.toLowerCase())
    await account.setStatus(B, `VALID ${API_KEY}`)
    await tick(env(), t0 + 10 * MINUTE)

    const status = await (
      await request(env(), '/v1/status', operator())
    ).json<{ numbers: { phone: string; error: { code: string } | null; signature_status: string }[] }>()
    for (const n of status.numbers) {
      expect(n.error?.code, n.phone).toBe('kaleyra_bad_response')
      expect(n.signature_status, n.phone).toBe('VALID')
    }
    const page = await (await request(env(), '/')).text()
    expect(page).not.toMatch(/K7S9QW2EZ4/i)
    await collectDeliveries()
    await visitAll(env(), sweep, [A, B])
    sweep.expectClean()
    expect(await servedKeys(env(), [A, B])).toEqual(before)
  })

  it('a PEM whose label is the key (upper-cased) is refused without quoting it', async () => {
    await account.addNumber(A, { pem: (await makeKey()).pem })
    const t0 = Date.now()
    await tick(env({ WATCH_NUMBERS: A }), t0)
    const before = await servedKeys(env({ WATCH_NUMBERS: A }), [A])
    const label = API_KEY.toUpperCase()
    await account.rotate(A, `-----BEGIN ${label}-----\nMIIB\n-----END ${label}-----`)
    await tick(env({ WATCH_NUMBERS: A }), t0 + 10 * MINUTE)
    const status = await (
      await request(env({ WATCH_NUMBERS: A }), '/v1/status', operator())
    ).json<{ numbers: { error: { code: string; message: string } | null }[] }>()
    expect(status.numbers[0].error).toMatchObject({ code: 'invalid_key', message: expect.stringContaining('[redacted]') })
    await visitAll(env({ WATCH_NUMBERS: A }), sweep, [A])
    sweep.expectClean()
    expect(await servedKeys(env({ WATCH_NUMBERS: A }), [A])).toEqual(before)
  })
})

describe('finding 6: a receiver error page echoing a secret', () => {
  it('Slack answering with its URL path, the webhook echoing the Slack token and the admin token: /v1/status shows neither', async () => {
    await account.addNumber(A, { pem: (await makeKey()).pem })
    await receiver.program(SLACK_PATH, [
      { status: 404, body: `<html><body><h1>No such hook</h1><p>${SLACK_PATH}</p><p>${encodeURIComponent(SLACK_PATH)}</p></body></html>`, count: 5 },
    ])
    await receiver.program('/hook', [
      { status: 500, body: `upstream said: token=${SLACK_TOKEN.toUpperCase()} auth=Bearer ${ADMIN_TOKEN} secret=${WEBHOOK_SECRET}`, count: 5 },
    ])
    await tick(env())
    const status = await (await request(env(), '/v1/status', operator())).json<{ notifications: { channels: Record<string, { last_error: string | null }> } }>()
    const { slack, webhook } = status.notifications.channels
    expect(slack.last_error).toMatch(/SLACK_WEBHOOK_URL answered 404/)
    expect(slack.last_error).toContain('[redacted]')
    expect(webhook.last_error).toMatch(/WEBHOOK_URL answered 500/)
    expect(webhook.last_error).toContain('[redacted]')
    await visitAll(env(), sweep, [A])
    sweep.expectClean()
  })

  it('POST /v1/notify/test answers with the receivers errors, redacted', async () => {
    await receiver.program(SLACK_PATH, [{ status: 400, body: `invalid_payload for ${SLACK_PATH}` }])
    await receiver.program('/hook', [{ status: 401, body: `bad signature; expected key ${WEBHOOK_SECRET.slice('whsec_'.length)}` }])
    const res = await request(env({ WATCH_NUMBERS: A }), '/v1/notify/test', operator({ method: 'POST' }))
    const body = await res.json<{ channels: Record<string, { error: string | null }> }>()
    expect(body.channels.slack.error).toContain('[redacted]')
    expect(body.channels.webhook.error).toContain('[redacted]')
    sweep.add('POST /v1/notify/test', JSON.stringify(body))
    sweep.expectClean()
  })
})
