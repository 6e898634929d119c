/** @module The CHECKS queue consumer: check a message's numbers and report them to the ledger; dead letters become failed checks. */
import { getConfig } from '../config'
import type { Env } from '../env'
import type { CheckMessage } from '../ledger/run-table'
import { settingsOf } from '../ledger/settings'
import { ledgerOf } from '../ledger/stub'
import { configOf } from '../ledger/settings'
import { checkMessage, type MessageIo } from './check-message'

export type ConsumeIo = MessageIo

/** The dead-letter queue's name ends so (wrangler.toml); its messages failed every retry. */
export const isDeadLetterQueue = (queue: string): boolean => queue.endsWith('-dlq')

export async function consumeChecks(batch: MessageBatch<CheckMessage>, env: Env, io: ConsumeIo): Promise<void> {
  const ledger = ledgerOf(env)
  for (const message of batch.messages) {
    const { run_id: run, batch: index } = message.body
    if (isDeadLetterQueue(batch.queue)) {
      io.log({ msg: 'check batch dead-lettered', level: 'error', run, batch: index, numbers: message.body.numbers.length })
      await ledger.deadLetterBatch(settingsOf(env), message.body, `gave up after ${message.attempts} deliveries`, io.clock())
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
      await checkMessage(ledger, settings, config, message.body, io)
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
