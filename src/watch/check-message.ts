/** @module One planned message checked and reported: the consumer's pipeline, which `POST /v1/check` runs inline too. */
import type { Config } from '../config'
import type { Logger } from '../log'
import type { BatchReport } from '../ledger/ledger-object'
import type { Settings } from '../ledger/settings'
import type { ledgerOf } from '../ledger/stub'
import type { CheckMessage } from '../ledger/run-table'
import { checkBatch, type CheckIo } from './check-batch'
import { logChecks } from './check-log'
import { meterFetch } from './invocation-cost'

export interface MessageIo extends Omit<CheckIo, 'now'> {
  log: Logger
  /** A request checking inline waits for the edge documents, so its caller reads its own write; a consumer does not. */
  readOwnWrite?: boolean
}

/** The ledger calls of one message (plan or claim, then report) are subrequests of the invocation too. */
const LEDGER_CALLS = 2

/**
 * Measures the pods the plan asked for, looks each number up in the plan's pod order (ranking and remembered pod),
 * probes endpoints, and reports to the ledger once; every look is recorded at the run's time.
 */
export async function checkMessage(
  ledger: ReturnType<typeof ledgerOf>,
  settings: Settings,
  config: Config,
  message: CheckMessage,
  io: MessageIo,
): Promise<BatchReport> {
  const metered = meterFetch(io.fetch)
  const checked = await checkBatch(config, message, { ...io, fetch: metered.fetch, now: () => message.planned_at })
  const cost = { ...metered.cost, subrequests: metered.cost.subrequests + LEDGER_CALLS }
  const report = await ledger.reportBatch(settings, message, checked.observed, checked.measured, message.planned_at, cost, io.readOwnWrite ?? false)
  logChecks(io.log, message.run_id, report.reports)
  if (report.run) {
    const { checked: count, succeeded, failed, events, kv_writes } = report.run
    io.log({ msg: 'check run complete', run: message.run_id, checked: count, succeeded, failed, events, kv_writes })
  }
  return report
}
