/** @module POST /v1/notify/test: a ping to every configured channel, answered with each channel's result. */
import { sendPing } from '../../notify/ping'
import type { Runtime } from '../context'
import type { Handlers } from '../mount'

export function notificationHandlers(runtime: Runtime): Pick<Handlers, 'notifyTest'> {
  return {
    notifyTest: async (c) => {
      const channels = await sendPing(c.var.config, { fetch: runtime.fetch, log: runtime.log, clock: runtime.clock }, runtime.now())
      const configured = Object.values(channels).filter((r) => r.configured)
      c.header('Cache-Control', 'no-store')
      return c.json({
        ok: configured.length > 0 && configured.every((r) => r.ok),
        ...(configured.length === 0 ? { message: 'No channel is configured: set WEBHOOK_URL and WEBHOOK_SECRET, or SLACK_WEBHOOK_URL' } : {}),
        channels,
      })
    },
  }
}
