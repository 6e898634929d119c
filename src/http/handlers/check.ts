/**
 * @module POST /v1/check: a run like any other. The planner decides inline or queue by the same subrequest cost as
 * for the cron; inline, the request checks the plan's one message through the consumer's own pipeline.
 */
import { FlowkeyError } from '../../errors'
import type { BatchReport } from '../../ledger/ledger-object'
import { settingsOf } from '../../ledger/settings'
import { ledgerOf } from '../../ledger/stub'
import { normalizePhone } from '../../phone'
import { checkBatch } from '../../watch/check-batch'
import { logChecks } from '../../watch/check-log'
import { checkMessage } from '../../watch/check-message'
import type { Runtime } from '../context'
import { forgetDocs } from '../edge-copies'
import type { Handlers } from '../mount'

export function checkHandler(runtime: Runtime): Handlers['check'] {
  return async (c) => {
    const ledger = ledgerOf(c.env)
    const settings = settingsOf(c.env)
    const query = c.req.valid('query').phone
    const startedAt = runtime.now()
    let report: BatchReport
    if (query !== undefined) {
      // A `+` in a query string arrives as a space unless it was written %2B.
      const phone = normalizePhone(query.replace(/^ /, '+'))
      const message = await ledger.planNumber(settings, phone, startedAt)
      if (!message) throw new FlowkeyError('unknown_number', `${phone} is not a watched number`)
      const checked = await checkBatch(c.var.config, message, { fetch: runtime.fetch, clock: runtime.clock, now: () => startedAt })
      report = await ledger.recordSingle(settings, checked.observed, checked.measured, startedAt)
      logChecks(runtime.log, null, report.reports)
    } else {
      const planned = await ledger.planRun(settings, 'manual', null, startedAt, true)
      if (!planned.inline) {
        c.header('Cache-Control', 'no-store')
        // More than one message's worth of subrequests: checked the way the cron does it, through the queue.
        if (!planned.complete) {
          return c.json(
            {
              ...planned,
              queued: true,
              message:
                `${planned.numbers} numbers are being checked in ${planned.batches} queue batches` +
                (planned.skipped > 0 ? `; ${planned.skipped} more are still queued from an earlier run and are not queued twice` : '') +
                '; see GET /v1/status',
            },
            202,
          )
        }
      }
      report = planned.inline
        ? await checkMessage(ledger, settings, c.var.config, planned.inline, { ...runtime, readOwnWrite: true })
        : { reports: [], events: [], keysChanged: false, documents: 0, run: null }
    }
    for (const r of report.reports) forgetDocs(c, r.phone)
    const succeeded = report.reports.filter((r) => r.outcome !== 'error').length
    c.header('Cache-Control', 'no-store')
    return c.json({
      id: report.run?.id ?? null,
      trigger: 'manual' as const,
      started_at: new Date(startedAt).toISOString(),
      finished_at: new Date(runtime.now()).toISOString(),
      checked: report.reports.length,
      succeeded,
      failed: report.reports.length - succeeded,
      numbers: report.reports,
      events: report.events,
      problems: c.var.problems,
    })
  }
}
