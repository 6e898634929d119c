/** @module One probe in flight per number: followers share the leader's outcome, and a leader that never reports is given up on. */
import { describe, expect, it } from 'vitest'
import { ProbeFlights, type SharedProbe } from '../../src/ledger/probe-flights'
import type { ProbeResult } from '../../src/probe'

const outcome = (kid: string): SharedProbe => ({ result: { outcome: 'ok', kid } as ProbeResult, events: [] })

describe('ProbeFlights', () => {
  it('the first caller leads; callers while it flies get its outcome; the next caller leads anew', async () => {
    const flights = new ProbeFlights()
    expect(await flights.join('+919896000001', 0, 1000)).toBeNull()
    const followers = [flights.join('+919896000001', 10, 1000), flights.join('+919896000001', 20, 1000)]
    expect(await flights.join('+919896000002', 20, 1000)).toBeNull()
    flights.finish('+919896000001', outcome('a'))
    expect(await Promise.all(followers)).toEqual([outcome('a'), outcome('a')])
    expect(await flights.join('+919896000001', 30, 1000)).toBeNull()
  })

  it('a leader that failed wakes its followers with null, and one that never reports is given up on', async () => {
    const flights = new ProbeFlights()
    await flights.join('+919896000003', 0, 50)
    const waiting = flights.join('+919896000003', 0, 50)
    flights.finish('+919896000003', null)
    expect(await waiting).toBeNull()
    await flights.join('+919896000004', Date.now(), 50)
    const started = Date.now()
    expect(await flights.join('+919896000004', started, 50)).toBeNull()
    expect(Date.now() - started).toBeGreaterThanOrEqual(40)
    // After its time, a new caller leads instead of waiting.
    expect(await flights.join('+919896000004', started + 100, 50)).toBeNull()
  })
})
