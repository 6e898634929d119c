/** @module When /healthz calls the runs stale: three firings of the cron passed with no complete run since. */
import { nextFiring, parseCron } from './cron-schedule'

/** /healthz turns 503 when this many cron firings pass after the last complete run's start. */
export const STALE_AFTER_FIRINGS = 3
/** A run fans out through the queue: its batches may report a little after the next firing. */
export const STALE_GRACE_MS = 5 * 60_000
/** Without a readable cron (a run started by hand only), runs count as stale after this. */
export const DEFAULT_STALE_MS = 30 * 60_000

/**
 * Reads the expression's real firings (Cloudflare's crons are UTC), so
 * `0 9 * * 1-5` is stale on Tuesday morning after a silent Monday, not every weekend.
 */
export function staleAfter(cron: string | null, lastRunStart: number): number {
  if (!cron) return lastRunStart + DEFAULT_STALE_MS
  try {
    const schedule = parseCron(cron)
    let at: number | null = lastRunStart
    for (let i = 0; i < STALE_AFTER_FIRINGS && at !== null; i++) at = nextFiring(schedule, at)
    return at !== null ? at + STALE_GRACE_MS : lastRunStart + DEFAULT_STALE_MS
  } catch {
    return lastRunStart + DEFAULT_STALE_MS
  }
}
