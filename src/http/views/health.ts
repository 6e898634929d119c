/** @module `/healthz` from the ledger's fleet health: flowkey's own runs decide 200 or 503; the fleet summary rides along, and decides too under `?strict=1` (pure). */
import type { ConfigProblem } from '../../config'
import type { FleetHealth } from '../../ledger/views'
import { errorBody } from '../errors'
import { STALE_GRACE_MS, staleAfter } from '../cron-interval'
import { ATTENTION_REASONS, REASON_WORDS, fleetNeedsAttention } from '../../rules/attention'

/** A batch reported this recently means a run is draining, not stuck. */
const DRAINING_REPORT_WITHIN_MS = STALE_GRACE_MS

type HealthError = { code: 'misconfigured' | 'stale' | 'no_check_yet' | 'needs_attention'; message: string }

export function buildHealth(
  health: FleetHealth & { cron: string | null },
  problems: ConfigProblem[],
  options: { strict: boolean; now: number; label?: string | null },
): { status: 200 | 503; body: Record<string, unknown> } {
  const lastRun = health.last_run
  const base = {
    last_run_at: lastRun?.finished_at ?? null,
    last_run: lastRun,
    draining: health.draining,
    ...(options.label ? { label: options.label } : {}),
    numbers: health.numbers,
    fleet: health.fleet,
    problems,
  }
  const failure = runProblem(health, problems, options.now, Boolean(options.label)) ?? (options.strict ? fleetProblem(health) : null)
  if (failure) return { status: 503, body: { ok: false, ...base, ...errorBody(failure.code, failure.message) } }
  return { status: 200, body: { ok: true, ...base } }
}

/** `labelled`: a customer's view (`?label=`), where no number is an empty view, not an empty watch list. */
function runProblem(health: FleetHealth & { cron: string | null }, problems: ConfigProblem[], now: number, labelled = false): HealthError | null {
  const blocking = problems.filter((p) => p.level !== 'warning')
  if (blocking.length > 0) return { code: 'misconfigured', message: blocking.map((p) => p.message).join('; ') }
  if (health.numbers === 0 && !labelled)
    return { code: 'misconfigured', message: 'Nothing to watch: set WATCH_NUMBERS or add numbers with PUT /v1/numbers/{phone}' }
  const lastRun = health.last_run
  if (!lastRun) return { code: 'no_check_yet', message: 'No check run has completed yet: wait for the cron trigger or call POST /v1/check' }
  const limit = staleAfter(lastRun.cron ?? health.cron, Date.parse(lastRun.started_at))
  if (now > limit && !stillDraining(health, now)) {
    const minutes = Math.round((now - Date.parse(lastRun.started_at)) / 60_000)
    return { code: 'stale', message: `No check run has completed for ${minutes} minutes: three cron firings passed since the last complete run started` }
  }
  return null
}

/**
 * A run that outlasts three firings (a one-minute cron, a slow source) is not a stale watcher while its
 * batches keep reporting; a queue that stopped delivering is, since nothing reports.
 */
function stillDraining(health: FleetHealth, now: number): boolean {
  const last = health.draining?.last_report_at
  return last !== null && last !== undefined && now - Date.parse(last) < DRAINING_REPORT_WITHIN_MS
}

function fleetProblem(health: FleetHealth): HealthError | null {
  const { attention, reasons, notifications } = health.fleet
  if (!fleetNeedsAttention({ attention, channels: notifications.needing_attention })) return null
  const parts: string[] = []
  if (attention > 0) {
    const why = ATTENTION_REASONS.filter((reason) => reasons[reason] > 0).map((reason) => `${reasons[reason]} ${REASON_WORDS[reason]}`)
    parts.push(`${attention} of ${health.numbers} numbers need attention (${why.join(', ')})`)
  }
  if (notifications.needing_attention.length > 0) parts.push(`notifications need attention on ${notifications.needing_attention.join(' and ')}`)
  return { code: 'needs_attention', message: `${parts.join('; ')}: see /v1/status or the status page` }
}
