/** @module The Worker's entry: wiring only. */
import { getConfig } from './config'
import type { Env } from './env'
import { createApp } from './http/app'
import type { Runtime } from './http/context'
import type { CheckMessage } from './ledger/run-table'
import { settingsOf } from './ledger/settings'
import { ledgerOf } from './ledger/stub'
import { platformIo } from './io'
import { consumeChecks } from './watch/consume'

export { Ledger } from './ledger/ledger-object'

const { fetch: send, clock, log } = platformIo

const runtime: Runtime = { fetch: send, now: clock, clock, log }

const app = createApp(runtime)

/** The cron asks the ledger to plan a run; the CHECKS queue carries it out. */
export async function scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  const { problems } = getConfig(env)
  for (const problem of problems)
    log({ msg: 'config problem', level: problem.level === 'warning' ? 'warn' : 'error', name: problem.name, problem: problem.message })
  try {
    const run = await ledgerOf(env).planRun(settingsOf(env), 'cron', controller.cron, controller.scheduledTime)
    log({ msg: 'check run planned', run: run.run_id, batches: run.batches, numbers: run.numbers, skipped: run.skipped })
  } catch (err) {
    // Only the ledger's own failures get here: say so in one line, and let the cron show the failure.
    log({ msg: 'check run could not be planned', level: 'error', error: err instanceof Error ? err.message : String(err) })
    throw err
  }
}

export async function queue(batch: MessageBatch<CheckMessage>, env: Env, _ctx: ExecutionContext): Promise<void> {
  await consumeChecks(batch, env, { fetch: send, clock, log })
}

export default { fetch: app.fetch, scheduled, queue } satisfies ExportedHandler<Env, CheckMessage>
