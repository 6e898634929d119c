/** @module POST /v1/notify/test: a ping to every configured channel, answered with each channel's result. */
import { Hono } from 'hono'
import { sendPing } from '../../notify/ping'
import type { AppEnv, Runtime } from '../context'
import { requireOperator } from '../operator-auth'

export function notificationRoutes(runtime: Runtime): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use('/v1/notify/test', requireOperator)

  app.post('/v1/notify/test', async (c) => {
    const channels = await sendPing(c.var.config, { fetch: runtime.fetch, log: runtime.log, clock: runtime.clock }, runtime.now())
    const configured = Object.values(channels).filter((r) => r.configured)
    c.header('Cache-Control', 'no-store')
    return c.json({
      ok: configured.length > 0 && configured.every((r) => r.ok),
      ...(configured.length === 0 ? { message: 'No channel is configured: set WEBHOOK_URL and WEBHOOK_SECRET, or SLACK_WEBHOOK_URL' } : {}),
      channels,
    })
  })

  return app
}
