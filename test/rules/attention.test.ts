/** @module The one definition of "needs attention" (INTERFACE.md): thresholds, mute, channel verdicts and the fleet's tally. */
import { describe, expect, it } from 'vitest'
import {
  GAVE_UP_WINDOW_MS,
  channelAttention,
  fleetNeedsAttention,
  numberAttention,
  tallyFleet,
  type CheckFacts,
  type EndpointFacts,
} from '../../src/rules/attention'

const now = Date.parse('2026-12-01T12:00:00Z')
const rules = { failingAfter: 3, now }
const fine: CheckFacts = { outcome: 'key', consecutive_failures: 0, failing: false, kid: 'k1', signature_status: 'VALID', removed_kid: null }
const probe = (over: Partial<EndpointFacts>): EndpointFacts => ({ outcome: 'ok', inconclusive: false, consecutive_failures: 0, alerted: 'none', ...over })
const reasons = (check: CheckFacts | null, endpoint: EndpointFacts | null = null, muted_until: string | null = null) =>
  numberAttention({ check, endpoint, muted_until }, rules)

describe('a number', () => {
  it('is fine when checked fine, and when not checked yet', () => {
    expect(reasons(fine, probe({}))).toEqual([])
    expect(reasons(null)).toEqual([])
  })

  it('counts failing checks only once FAILING_AFTER is reached (or check.failing was sent)', () => {
    const failed = (n: number, failing = false): CheckFacts => ({ ...fine, outcome: 'error', consecutive_failures: n, failing })
    expect(reasons(failed(1))).toEqual([])
    expect(reasons(failed(2))).toEqual([])
    expect(reasons(failed(3))).toEqual(['check_failing'])
    // FAILING_AFTER raised since the alert went out: the outage was announced, so it still counts.
    expect(reasons(failed(2, true))).toEqual(['check_failing'])
  })

  it('counts a failing endpoint only at the threshold, a key mismatch at once, an unsigned 432 never', () => {
    expect(reasons(fine, probe({ outcome: 'http_error', consecutive_failures: 1 }))).toEqual([])
    expect(reasons(fine, probe({ outcome: 'unreachable', consecutive_failures: 3, alerted: 'failing' }))).toEqual(['endpoint_failing'])
    expect(reasons(fine, probe({ outcome: 'key_mismatch', consecutive_failures: 1, alerted: 'key_mismatch' }))).toEqual(['endpoint_key_mismatch'])
    expect(reasons(fine, probe({ outcome: 'signature_rejected', inconclusive: true, consecutive_failures: 5 }))).toEqual([])
  })

  it('names a signature that is not VALID, a removed key and no key', () => {
    expect(reasons({ ...fine, signature_status: 'MISMATCH' })).toEqual(['signature_invalid'])
    expect(reasons({ ...fine, outcome: 'no_key', kid: null, signature_status: null, removed_kid: 'k1' })).toEqual(['key_removed'])
    expect(reasons({ ...fine, outcome: 'no_key', kid: null, signature_status: null })).toEqual(['no_key'])
  })

  it('needs none while muted, and again once the mute has ended', () => {
    const bad = { ...fine, signature_status: 'MISMATCH' }
    expect(reasons(bad, null, new Date(now + 60_000).toISOString())).toEqual([])
    expect(reasons(bad, null, new Date(now - 1).toISOString())).toEqual(['signature_invalid'])
  })
})

describe('a channel', () => {
  const ch = { configured: true, last_success_at: '2026-12-01T11:00:00.000Z', last_error_at: null, last_gave_up_at: null }
  it('needs attention when its last delivery failed, until one goes through', () => {
    expect(channelAttention(ch, now)).toEqual([])
    expect(channelAttention({ ...ch, last_error_at: '2026-12-01T11:30:00.000Z' }, now)).toEqual(['delivery_failing'])
    expect(channelAttention({ ...ch, last_error_at: '2026-12-01T10:30:00.000Z' }, now)).toEqual([])
  })

  it('needs attention for a day after it gave an event up', () => {
    const gaveUp = (ago: number) => channelAttention({ ...ch, last_gave_up_at: new Date(now - ago).toISOString() }, now)
    expect(gaveUp(GAVE_UP_WINDOW_MS - 1)).toEqual(['gave_up'])
    expect(gaveUp(GAVE_UP_WINDOW_MS)).toEqual([])
  })

  it('needs none when not configured: nothing is sent to it', () => {
    expect(channelAttention({ ...ch, configured: false, last_error_at: '2026-12-01T11:30:00.000Z' }, now)).toEqual([])
  })
})

describe('the fleet', () => {
  it('tallies numbers and channels, and is red when either needs attention', () => {
    const tally = tallyFleet(
      [
        { phone: '+1', attention: ['check_failing', 'endpoint_failing'] },
        { phone: '+2', attention: [] },
        { phone: '+3', attention: ['check_failing'] },
      ],
      [
        { name: 'webhook', attention: [] },
        { name: 'slack', attention: ['gave_up'] },
      ],
    )
    expect(tally).toMatchObject({ attention: 2, reasons: { check_failing: 2, endpoint_failing: 1, no_key: 0 }, channels: ['slack'] })
    expect(tally.examples.map((e) => e.phone)).toEqual(['+1', '+3'])
    expect(fleetNeedsAttention(tally)).toBe(true)
    expect(fleetNeedsAttention({ attention: 0, channels: [] })).toBe(false)
  })
})
