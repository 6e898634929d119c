/** @module Planning a run: batches by subrequest cost, and queue sends within sendBatch's limits (100 messages, 256 KB a call). */
import { describe, expect, it } from 'vitest'
import { sendGroups } from '../../src/ledger/ledger-object'
import { chunkByCost } from '../../src/ledger/plan-run'
import type { CheckMessage } from '../../src/ledger/run-table'

const number = (i: number, endpoint = false, sid = 'HX1') => ({
  phone: `+91980000${String(i).padStart(4, '0')}`,
  sid,
  pod: 'auto' as const,
  endpoint_url: endpoint ? 'https://flows.example.com/data' : null,
})

describe('batches by cost', () => {
  it('holds at most CHECK_BATCH_SIZE look-ups, in multiples of six; half as many numbers with endpoints; a measured SID costs its pods', () => {
    // 40 look-ups fit; 36 are kept, so six connections finish together, and 4 open the next batch.
    expect(
      chunkByCost(
        Array.from({ length: 100 }, (_, i) => number(i)),
        40,
      ).map((c) => c.length),
    ).toEqual([36, 36, 28])
    expect(
      chunkByCost(
        Array.from({ length: 100 }, (_, i) => number(i, true)),
        40,
      ).map((c) => c.length),
    ).toEqual([18, 18, 18, 18, 18, 10])
    // Measuring a SID costs 4 in each batch it opens: 36 numbers fit after it.
    const measured = chunkByCost(
      Array.from({ length: 80 }, (_, i) => number(i)),
      40,
      () => 4,
    )
    expect(measured.map((c) => c.length)).toEqual([36, 36, 8])
    // Two SIDs in one batch: each measured once there.
    const mixed = chunkByCost(
      [...Array.from({ length: 10 }, (_, i) => number(i, false, 'A')), ...Array.from({ length: 40 }, (_, i) => number(100 + i, false, 'B'))],
      40,
      () => 4,
    )
    expect(mixed.map((c) => c.length)).toEqual([30, 20])
    // Every batch within its budget.
    const costs = (chunks: { sid: string; endpoint_url: string | null }[][]) =>
      chunks.map((c) => c.reduce((sum, n) => sum + (n.endpoint_url ? 2 : 1), 0) + 4 * new Set(c.map((n) => n.sid)).size)
    for (const cost of costs(mixed)) expect(cost).toBeLessThanOrEqual(40)
  })
})

describe('queue sends', () => {
  it('stay within 100 messages and 200 KB a sendBatch call, in order', () => {
    const messages: CheckMessage[] = Array.from({ length: 250 }, (_, batch) => ({
      run_id: 'run_1',
      batch,
      planned_at: 0,
      pods: {},
      numbers: Array.from({ length: 40 }, (_, i) => number(batch * 40 + i)),
    }))
    const groups = sendGroups(messages)
    for (const group of groups) {
      expect(group.length).toBeLessThanOrEqual(100)
      expect(group.reduce((sum, m) => sum + JSON.stringify(m).length, 0)).toBeLessThanOrEqual(200_000)
    }
    expect(groups.flat().map((m) => m.batch)).toEqual(messages.map((m) => m.batch))
    expect(groups.length).toBeGreaterThan(3)
  })
})
