/** @module `/healthz` from a view model: flowkey's own runs decide 200 or 503; the fleet summary rides along, and decides too under `?strict=1` (pure). */
import { errorBody } from '../errors'
import { summarizeFleet, summaryNeedsAttention, type FleetSummary, type FleetView, type LastRunView } from './fleet'

/** /healthz turns 503 when no run has completed for this many cron intervals. */
export const STALE_AFTER_INTERVALS = 3

export interface HealthBody {
  ok: boolean
  last_run_at: string | null
  next_run_at: string | null
  last_run: LastRunView | null
  numbers: number
  problems: FleetView['problems']
  fleet: FleetSummary
  error?: { code: 'misconfigured' | 'stale' | 'no_check_yet' | 'needs_attention'; message: string }
}

export function buildHealth(view: FleetView, options: { strict: boolean; nextRunAt: string | null }): { status: 200 | 503; body: HealthBody } {
  const fleet = summarizeFleet(view)
  const base = {
    last_run_at: view.last_run?.finished_at ?? null,
    next_run_at: options.nextRunAt,
    last_run: view.last_run,
    numbers: view.numbers.length,
    problems: view.problems,
    fleet,
  }
  const failure = runProblem(view) ?? (options.strict ? fleetProblem(fleet) : null)
  if (failure) return { status: 503, body: { ok: false, ...base, ...errorBody(failure.code, failure.message) } as HealthBody }
  return { status: 200, body: { ok: true, ...base } }
}

type HealthError = NonNullable<HealthBody['error']>

function runProblem(view: FleetView): HealthError | null {
  if (view.problems.length > 0) return { code: 'misconfigured', message: view.problems.map((p) => p.message).join('; ') }
  if (view.numbers.length === 0) return { code: 'misconfigured', message: 'Nothing to watch: set WATCH_NUMBERS or add numbers with PUT /v1/numbers/{phone}' }
  const lastRun = view.last_run
  if (!lastRun) return { code: 'no_check_yet', message: 'No check run has completed yet: wait for the cron trigger or call POST /v1/check' }
  const age = view.now - Date.parse(lastRun.finished_at)
  const limit = STALE_AFTER_INTERVALS * lastRun.interval_ms
  if (age > limit) {
    return {
      code: 'stale',
      message: `No check run has completed for ${Math.round(age / 60_000)} minutes (${STALE_AFTER_INTERVALS} cron intervals are ${Math.round(limit / 60_000)} minutes)`,
    }
  }
  return null
}

function fleetProblem(fleet: FleetSummary): HealthError | null {
  if (!summaryNeedsAttention(fleet)) return null
  const parts: string[] = []
  if (fleet.need_attention > 0) {
    const why = Object.entries(fleet.reasons)
      .filter(([, count]) => count > 0)
      .map(([reason, count]) => `${count} ${reason.replace(/_/g, ' ')}`)
    parts.push(`${fleet.need_attention} of ${fleet.numbers} numbers need attention (${why.join(', ')})`)
  }
  if (fleet.channels.failing > 0) parts.push(`${fleet.channels.failing} notification channel(s) failing`)
  if (fleet.channels.dead_letters_recent > 0) parts.push(`${fleet.channels.dead_letters_recent} notification(s) given up in the last day`)
  return { code: 'needs_attention', message: `${parts.join('; ')}: see / or /v1/status` }
}
