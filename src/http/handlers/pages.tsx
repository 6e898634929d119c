/** @module The human pages and the OpenAPI document: data access here (the ledger), the views are pure (views/). */
import { FlowkeyError } from '../../errors'
import { settingsOf } from '../../ledger/settings'
import { ledgerOf } from '../../ledger/stub'
import { publicHealth, publicStatus } from '../ledger-reads'
import { normalizePhone } from '../../phone'
import type { Runtime } from '../context'
import type { Handlers } from '../mount'
import { fleetViewFromLedger, numberPageFromLedger } from '../views/from-ledger'
import { buildNumberPage } from '../views/number-page'
import { buildStatusPage, pageOfView } from '../views/status-page'

/** The page ranks problems first over the whole fleet, so it reads every number's state (10,000 fit in one ledger call). */
const FLEET_LIMIT = 1_000_000

export function pageHandlers(runtime: Runtime, openapiDocument: () => object): Pick<Handlers, 'statusPage' | 'numberPage' | 'openapi'> {
  return {
    statusPage: async (c) => {
      const now = runtime.now()
      // Public: concurrent requests share one ledger read, so hammering the page cannot keep the ledger busy.
      const query = c.req.valid('query')
      const label = query.label || null
      const [status, health] = await Promise.all([publicStatus(c.env, '', FLEET_LIMIT, now, label), publicHealth(c.env, now, label)])
      const view = fleetViewFromLedger(status, health, health.cron, c.var.problems, now)
      // The strips of the numbers this page shows, and no others.
      const { shown } = pageOfView(view, query)
      const strips = await ledgerOf(c.env).checkStrips(shown.map((n) => n.phone))
      for (const n of shown) n.checks = strips[n.phone] ?? []
      c.header('Cache-Control', 'no-store')
      return c.html(buildStatusPage(view, query))
    },

    numberPage: async (c) => {
      const phone = normalizePhone(c.req.valid('param').phone)
      const detail = await ledgerOf(c.env).numberDetail(settingsOf(c.env), phone, runtime.now())
      if (!detail) throw new FlowkeyError('unknown_number', `${phone} is not a watched number`)
      c.header('Cache-Control', 'no-store')
      return c.html(buildNumberPage(numberPageFromLedger(phone, detail.number, detail, detail.events, runtime.now())))
    },

    openapi: (c) => {
      c.header('Cache-Control', 'public, max-age=300')
      return c.json(openapiDocument())
    },
  }
}
