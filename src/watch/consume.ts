/** @module The CHECKS queue consumer: check a message's numbers and report them to the ledger; dead letters become failed checks. */
import { getConfig } from '../config'
import type { Env } from '../env'
import type { Logger } from '../log'
import type { CheckMessage } from '../ledger/run-table'
import { settingsOf } from '../ledger/settings'
import { ledgerOf } from '../ledger/stub'
import { configOf } from '../ledger/settings'
import { checkBatch, type CheckIo } from './check-batch'
import { logChecks } from './check-log'
import { meterFetch } from './invocation-cost'

export interface ConsumeIo extends Omit<CheckIo, 'now'> {
  log: Logger
}

const LEDGER_CALLS = 2

/** The dead-letter queue's name ends so (wrangler.toml); its messages failed every retry. */
export const isDeadLetterQueue = (queue: string): boolean => queue.endsWith('-dlq')

export async function consumeChecks(batch: MessageBatch<CheckMessage>, env: Env, io: ConsumeIo): Promise<void> {
  const ledger = ledgerOf(env)
  for (const message of batch.messages) {
    const { run_id: run, batch: index } = message.body
    if (isDeadLetterQueue(batch.queue)) {
      io.log({ msg: 'check batch dead-lettered', level: 'error', run, batch: index, numbers: message.body.numbers.length })
      await ledger.deadLetterBatch(settingsOf(env), message.body, `gave up after ${message.attempts} deliveries`, Date.now())
      message.ack()
      continue
    }
    try {
      const claim = await ledger.claimBatch(run, index)
      // Reported already (a redelivery after the consumer died past its report): each number is checked once per run.
      if (claim.state !== 'queued') {
        message.ack()
        continue
      }
      // The run is checked with the settings that planned it; the ledger forgets them on restart, and this env is the same then.
      const settings = claim.settings ?? settingsOf(env)
      const { config } = claim.settings ? configOf(claim.settings) : getConfig(env)
      // Every look of a run is recorded at the run's time, as the cron's scheduledTime gave it.
      const metered = meterFetch(io.fetch)
      const checked = await checkBatch(config, message.body, { ...io, fetch: metered.fetch, now: () => message.body.planned_at })
      // The ledger's two calls (claim and report) are subrequests of this invocation too.
      const cost = { ...metered.cost, subrequests: metered.cost.subrequests + LEDGER_CALLS }
      const report = await ledger.reportBatch(settings, message.body, checked.observed, checked.measured, message.body.planned_at, cost)
      logChecks(io.log, run, report.reports)
      if (report.run)
        io.log({
          msg: 'check run complete',
          run,
          checked: report.run.checked,
          succeeded: report.run.succeeded,
          failed: report.run.failed,
          events: report.run.events,
          kv_writes: report.run.kv_writes,
        })
      message.ack()
    } catch (err) {
      io.log({
        msg: 'check batch failed; the queue retries it',
        level: 'error',
        run,
        batch: index,
        attempts: message.attempts,
        error: err instanceof Error ? err.message : String(err),
      })
      message.retry()
    }
  }
}
