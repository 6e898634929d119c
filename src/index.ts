/** @module The Worker's entry: wiring only. */
import { getConfig } from './config'
import type { Env } from './env'
import { createApp } from './http/app'
import type { Runtime } from './http/context'
import { createDeliverer } from './notify/deliver'
import { runCheck, type LogLine } from './watch/run-check'

const log = (line: LogLine): void => console.log(JSON.stringify(line))

const send: typeof fetch = (input, init) => fetch(input, init)

const runtime: Runtime = {
  fetch: send,
  now: () => Date.now(),
  log,
  deliverFor: (config) => createDeliverer(config, { fetch: send, log }),
}

const app = createApp(runtime)

export async function scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  const { config, problems } = getConfig(env)
  try {
    await runCheck(config, problems, {
      kv: env.KEYS,
      fetch: runtime.fetch,
      now: controller.scheduledTime,
      log,
      deliver: runtime.deliverFor(config),
    }, { trigger: 'cron', cron: controller.cron })
  } catch (err) {
    // Only storage failures get here (Kaleyra's are recorded per number): say so in one line, and let the cron show the failure.
    log({ msg: 'check run failed', level: 'error', error: err instanceof Error ? err.message : String(err) })
    throw err
  }
}

export default { fetch: app.fetch, scheduled } satisfies ExportedHandler<Env>
