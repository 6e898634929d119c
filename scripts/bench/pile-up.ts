/**
 * @module Runs that do not pile up: a one-minute cron over the checking section's fleet, its firings compressed
 * so that each comes while the run before it still drains. No number may be looked up twice at once, every
 * firing is answered (a run, or a run that skipped what was still queued), and /healthz stays 200.
 */
import type { KaleyraPod } from '../emulators/kaleyra-pod.js'
import { ADMIN_TOKEN } from './flowkey.js'
import type { Workerd } from './workerd.js'

export const PILE_UP_CRON = '* * * * *'

export interface PileUpResult {
  firings: number
  /** Wall time between firings: shorter than a run, so every firing meets a run still draining. */
  everyMs: number
  /** Numbers the firings queued, and those they left out because their check was still queued. */
  queued: number
  skipped: number
  /** Look-ups the emulator saw over the firings and the drain after them. */
  lookUps: number
  /** The most look-ups of one number in flight at once (1: never checked twice at once). */
  maxPerNumber: number
  /** /healthz answers after each firing: every one should be 200. */
  healthStatuses: number[]
}

interface StatusRuns {
  runs: { id: string; batches: number; checked: number; skipped: number; finished_at: string | null }[]
}

export async function benchPileUp(input: {
  workerd: Workerd
  base: string
  pod: KaleyraPod
  sid: string
  firings: number
  everyMs: number
}): Promise<PileUpResult> {
  const { workerd, base, pod } = input
  pod.state.clearRequests(input.sid)
  const health: number[] = []
  const started = Date.now()
  for (let i = 0; i < input.firings; i++) {
    await workerd.scheduled(PILE_UP_CRON)
    health.push((await fetch(`${base}/healthz`)).status)
    const next = started + (i + 1) * input.everyMs
    if (i < input.firings - 1) await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())))
  }
  // The last firing's run drains; then every run of the firings is finished.
  const deadline = Date.now() + 300_000
  let runs: StatusRuns['runs']
  for (;;) {
    const answer = (await (await fetch(`${base}/v1/status?limit=1`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as StatusRuns
    runs = answer.runs.slice(0, input.firings)
    if (runs.length === input.firings && runs.every((r) => r.finished_at !== null)) break
    if (Date.now() > deadline) throw new Error('the pile-up firings did not all finish within 5 minutes')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const log = pod.state.requestLog(input.sid, null)
  return {
    firings: input.firings,
    everyMs: input.everyMs,
    queued: runs.reduce((sum, r) => sum + r.checked, 0),
    skipped: runs.reduce((sum, r) => sum + r.skipped, 0),
    lookUps: log.requests.length,
    maxPerNumber: pod.state.maxInFlightPerNumber(),
    healthStatuses: health,
  }
}
