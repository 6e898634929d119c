/** @module One log line per number checked, so every failure can be found in the Worker's logs. */
import type { Logger } from '../log'
import type { NumberReport } from '../ledger/record-checks'

export function logChecks(log: Logger, run: string | null, reports: readonly NumberReport[]): void {
  for (const r of reports) {
    log({
      msg: r.outcome === 'error' ? 'check failed' : 'checked',
      level: r.outcome === 'error' ? 'warn' : 'info',
      run,
      phone: r.phone,
      pod: r.pod,
      outcome: r.outcome,
      kid: r.kid,
      error: r.error ?? undefined,
      consecutive_failures: r.consecutive_failures,
      events: r.events,
    })
  }
}
