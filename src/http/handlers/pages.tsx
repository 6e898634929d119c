/** @module The human pages and the OpenAPI document: data access here (the ledger), the views are pure (views/). */
import { FlowkeyError } from '../../errors'
import { settingsOf } from '../../ledger/settings'
import { ledgerOf } from '../../ledger/stub'
import { publicOverview } from '../ledger-reads'
import { checkedCursor } from '../page-cursor'
import { normalizePhone } from '../../phone'
import type { Runtime } from '../context'
import type { Handlers } from '../mount'
import { fleetViewFromLedger, numberPageFromLedger } from '../views/from-ledger'
import { buildNumberPage } from '../views/number-page'
import { PAGE_SIZE, buildStatusPage } from '../views/status-page'

/** Where `npm run openapi:build` writes the document in the assets folder. */
const OPENAPI_ASSET_PATH = '/openapi.json'

export function pageHandlers(runtime: Runtime): Pick<Handlers, 'statusPage' | 'numberPage' | 'openapi'> {
  return {
    statusPage: async (c) => {
      const now = runtime.now()
      const query = c.req.valid('query')
      const digits = (query.q ?? '').replace(/\D/g, '')
      const cursor = checkedCursor(query.cursor)
      // Public: one ledger read of the kept counts and one ranked page; concurrent requests share it.
      const { status, health } = await publicOverview(
        c.env,
        { cursor, limit: PAGE_SIZE, ...(digits ? { digits } : {}), ...(query.label ? { label: query.label } : {}) },
        now,
      )
      const view = fleetViewFromLedger(status, health, health.cron, c.var.problems, now)
      c.header('Cache-Control', 'no-store')
      // The strips of the numbers this page shows, and no others.
      const strips = await ledgerOf(c.env).checkStrips(view.numbers.map((n) => n.phone))
      for (const n of view.numbers) n.checks = strips[n.phone] ?? []
      return c.html(buildStatusPage(view, { q: digits, cursor, ...(query.label ? { label: query.label } : {}) }))
    },

    numberPage: async (c) => {
      const phone = normalizePhone(c.req.valid('param').phone)
      const detail = await ledgerOf(c.env).numberDetail(settingsOf(c.env), phone, runtime.now())
      if (!detail) throw new FlowkeyError('unknown_number', `${phone} is not a watched number`)
      c.header('Cache-Control', 'no-store')
      return c.html(buildNumberPage(numberPageFromLedger(phone, detail.number, detail, detail.events, runtime.now())))
    },

    openapi: async (c) => {
      // A static asset (wrangler.toml [assets]: outside the script's size), answered here so it gets every header a route gets.
      const asset = await c.env.ASSETS.fetch(new URL(OPENAPI_ASSET_PATH, c.req.url))
      if (!asset.ok) throw new Error(`the OpenAPI document asset answered ${asset.status}`)
      c.header('Cache-Control', 'public, max-age=300')
      return c.body(await asset.arrayBuffer(), 200, { 'Content-Type': 'application/json' })
    },
  }
}
