/** @module The endpoint episode, transition by transition: key_mismatch at once and once, failing after FAILING_AFTER, restored after either, an unsigned 432 never alerted. */
import { describe, expect, it } from 'vitest'
import { decideEndpoint, initialEndpointState, type EndpointAlert, type EndpointState } from '../../src/probe/decide-endpoint'
import { adviceFor, type ProbeOutcome, type ProbeResult } from '../../src/probe/outcome'

const KID = 'Cn_VdPsAIDUzZzEZT9S-Ntvm99XfbfGDX8PoX6gbbtA'
const ctx = { phone: '+919876543210', sid: 'HXAP16XXXXXX97IN', pod: 'in', failingAfter: 3, seq: 10 }
const STATUS: Record<ProbeOutcome, number | null> = {
  ok: 200,
  key_mismatch: 421,
  signature_rejected: 432,
  bad_response: 200,
  http_error: 500,
  unreachable: null,
}

function result(outcome: ProbeOutcome, signed = false): ProbeResult {
  const status = STATUS[outcome]
  return {
    outcome,
    http_status: status,
    latency_ms: 42,
    kid: KID,
    url: 'https://flows.example.com/data',
    signed,
    inconclusive: outcome === 'signature_rejected' && !signed,
    probed_at: '2026-05-04T03:02:01.000Z',
    detail: outcome === 'ok' ? null : `saw ${outcome}`,
    advice: adviceFor({ outcome, kid: KID, http_status: status, signed }),
  }
}

function state(alerted: EndpointAlert, consecutive_failures: number, outcome: ProbeOutcome | null = null): EndpointState {
  return { ...initialEndpointState(), alerted, consecutive_failures, outcome }
}

/** Runs probes in order from a fresh state, collecting the event types. */
function run(...outcomes: Array<ProbeOutcome | [ProbeOutcome, boolean]>): { state: EndpointState; types: string[] } {
  let current = initialEndpointState()
  let seq = ctx.seq
  const types: string[] = []
  for (const item of outcomes) {
    const [outcome, signed] = Array.isArray(item) ? item : [item, false]
    const decision = decideEndpoint(current, result(outcome, signed), { ...ctx, seq })
    current = decision.state
    seq = decision.seq
    types.push(...decision.events.map((e) => e.type))
  }
  return { state: current, types }
}

describe('ok', () => {
  it('from the start: no event, the probe is recorded', () => {
    const decision = decideEndpoint(initialEndpointState(), result('ok'), ctx)
    expect(decision.events).toEqual([])
    expect(decision.seq).toBe(ctx.seq)
    expect(decision.state).toEqual({
      v: 1,
      outcome: 'ok',
      http_status: 200,
      latency_ms: 42,
      kid: KID,
      probed_at: '2026-05-04T03:02:01.000Z',
      inconclusive: false,
      consecutive_failures: 0,
      alerted: 'none',
    })
  })

  it('after failures that never alerted: resets the count, no event', () => {
    const decision = decideEndpoint(state('none', 2, 'unreachable'), result('ok'), ctx)
    expect(decision.events).toEqual([])
    expect(decision.state).toMatchObject({ consecutive_failures: 0, alerted: 'none' })
  })

  it.each(['key_mismatch', 'failing'] as const)('after a %s alert: endpoint.restored, and the episode ends', (alerted) => {
    const decision = decideEndpoint(state(alerted, 4, 'key_mismatch'), result('ok'), ctx)
    expect(decision.events.map((e) => e.type)).toEqual(['endpoint.restored'])
    expect(decision.events[0].data.error).toBeNull()
    expect(decision.state).toMatchObject({ consecutive_failures: 0, alerted: 'none' })
  })
})

describe('key_mismatch', () => {
  it('alerts at once, whatever FAILING_AFTER, with the endpoint in the event data', () => {
    const decision = decideEndpoint(initialEndpointState(), result('key_mismatch'), ctx)
    expect(decision.events).toHaveLength(1)
    const [event] = decision.events
    expect(event).toMatchObject({ type: 'endpoint.key_mismatch', seq: 11, timestamp: '2026-05-04T03:02:01.000Z' })
    expect(event.id).toBe('evt_919876543210_11_endpoint_key_mismatch_Cn_VdPsA')
    expect(event.data).toEqual({
      phone: ctx.phone,
      source: 'kaleyra',
      sid: ctx.sid,
      pod: 'in',
      kid: KID,
      previous_kid: null,
      spki_sha256: null,
      signature_status: null,
      previous_signature_status: null,
      error: { code: 'endpoint_key_mismatch', message: 'saw key_mismatch' },
      endpoint: { url: 'https://flows.example.com/data', outcome: 'key_mismatch', http_status: 421 },
    })
    expect(decision.seq).toBe(11)
    expect(decision.state).toMatchObject({ alerted: 'key_mismatch', consecutive_failures: 1 })
  })

  it('once per episode, however long it lasts', () => {
    expect(run('key_mismatch', 'key_mismatch', 'key_mismatch', 'key_mismatch').types).toEqual(['endpoint.key_mismatch'])
  })

  it('after endpoint.failing: alerts, because the answer now names the cause', () => {
    expect(run('unreachable', 'unreachable', 'unreachable', 'key_mismatch', 'key_mismatch').types).toEqual(['endpoint.failing', 'endpoint.key_mismatch'])
  })

  it('a new episode after ok alerts again', () => {
    expect(run('key_mismatch', 'ok', 'key_mismatch').types).toEqual(['endpoint.key_mismatch', 'endpoint.restored', 'endpoint.key_mismatch'])
  })
})

describe('other failures', () => {
  it.each(['unreachable', 'http_error', 'bad_response'] as const)('%s: endpoint.failing on the FAILING_AFTER-th in a row, once', (outcome) => {
    const two = run(outcome, outcome)
    expect(two.types).toEqual([])
    expect(two.state).toMatchObject({ consecutive_failures: 2, alerted: 'none' })
    const many = run(outcome, outcome, outcome, outcome, outcome)
    expect(many.types).toEqual(['endpoint.failing'])
    expect(many.state).toMatchObject({ consecutive_failures: 5, alerted: 'failing' })
  })

  it('kinds add up: unreachable, 500 and bad_response are one outage', () => {
    expect(run('unreachable', 'http_error', 'bad_response').types).toEqual(['endpoint.failing'])
  })

  it("the event carries the last probe's outcome, status and detail", () => {
    const decision = decideEndpoint(state('none', 2, 'http_error'), result('http_error'), ctx)
    expect(decision.events[0].data).toMatchObject({
      error: { code: 'endpoint_http_error', message: 'saw http_error' },
      endpoint: { url: 'https://flows.example.com/data', outcome: 'http_error', http_status: 500 },
    })
  })

  it('FAILING_AFTER of 1 alerts on the first failure', () => {
    const decision = decideEndpoint(initialEndpointState(), result('unreachable'), { ...ctx, failingAfter: 1 })
    expect(decision.events.map((e) => e.type)).toEqual(['endpoint.failing'])
  })

  it('an ok in between starts the count again', () => {
    expect(run('unreachable', 'unreachable', 'ok', 'unreachable', 'unreachable').types).toEqual([])
  })

  it('after key_mismatch was alerted, the episode stays alerted until ok: no endpoint.failing', () => {
    const { types, state: last } = run('key_mismatch', 'unreachable', 'unreachable', 'unreachable', 'http_error')
    expect(types).toEqual(['endpoint.key_mismatch'])
    expect(last).toMatchObject({ outcome: 'http_error', consecutive_failures: 5, alerted: 'key_mismatch' })
  })

  it('restored after failing, then a new outage alerts again', () => {
    expect(run('http_error', 'http_error', 'http_error', 'ok', 'http_error', 'http_error', 'http_error').types).toEqual([
      'endpoint.failing',
      'endpoint.restored',
      'endpoint.failing',
    ])
  })
})

describe('432', () => {
  it('signed (an app secret is set): a failure like the others', () => {
    const signed: [ProbeOutcome, boolean] = ['signature_rejected', true]
    expect(run(signed, signed).types).toEqual([])
    expect(run(signed, signed, signed).types).toEqual(['endpoint.failing'])
  })

  it('unsigned: inconclusive, shown, never alerted, never counted', () => {
    const { types, state: last } = run('signature_rejected', 'signature_rejected', 'signature_rejected', 'signature_rejected')
    expect(types).toEqual([])
    expect(last).toMatchObject({ outcome: 'signature_rejected', http_status: 432, inconclusive: true, consecutive_failures: 0, alerted: 'none' })
  })

  it('unsigned in the middle of an outage neither adds to nor resets the count, nor restores', () => {
    expect(run('unreachable', 'unreachable', 'signature_rejected', 'unreachable').types).toEqual(['endpoint.failing'])
    const decision = decideEndpoint(state('key_mismatch', 3, 'key_mismatch'), result('signature_rejected'), ctx)
    expect(decision.events).toEqual([])
    expect(decision.state).toMatchObject({ consecutive_failures: 3, alerted: 'key_mismatch', inconclusive: true })
  })
})
