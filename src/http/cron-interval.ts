/** @module When /healthz calls the runs stale: three firings of the cron passed with no complete run since. */
import { Cron } from 'croner'

/** /healthz turns 503 when this many cron firings pass after the last complete run's start. */
export const STALE_AFTER_FIRINGS = 3
/** A run fans out through the queue: its batches may report a little after the next firing. */
export const STALE_GRACE_MS = 5 * 60_000
/** Without a readable cron (a run started by hand only), runs count as stale after this. */
export const DEFAULT_STALE_MS = 30 * 60_000

/**
 * Reads the expression with a real cron library (Cloudflare's crons are UTC), so
 * `0 9 * * 1-5` is stale on Tuesday morning after a silent Monday, not every weekend.
 */
export function staleAfter(cron: string | null, lastRunStart: number): number {
  if (!cron) return lastRunStart + DEFAULT_STALE_MS
  try {
    const schedule = new Cron(cron, { timezone: 'UTC', paused: true })
    let at: Date | null = new Date(lastRunStart)
    for (let i = 0; i < STALE_AFTER_FIRINGS && at; i++) at = schedule.nextRun(at)
    return at ? at.getTime() + STALE_GRACE_MS : lastRunStart + DEFAULT_STALE_MS
  } catch {
    return lastRunStart + DEFAULT_STALE_MS
  }
}
