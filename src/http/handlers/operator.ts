/** @module Operator handlers: status, check now, the watch list (one number or a bulk import) and the endpoint probe, all through the ledger. */
import { FlowkeyError } from '../../errors'
import { settingsOf } from '../../ledger/settings'
import { ledgerOf } from '../../ledger/stub'
import { sourceView } from '../../ledger/source-columns'
import { normalizePhone } from '../../phone'
import { displayEndpointUrl } from '../../probe'
import type { Runtime } from '../context'
import { forgetDocs } from '../edge-copies'
import type { Handlers } from '../mount'
import { originOf } from '../request-origin'
import { credentialWarnings, parseEntry, parseImport } from '../watch-entries'
import { checkedCursor } from '../page-cursor'
import { checkHandler } from './check'
import { probeHandler } from './probe'

type OperatorHandlers = Pick<Handlers, 'status' | 'check' | 'listNumbers' | 'importNumbers' | 'putNumber' | 'deleteNumber' | 'probe'>

export function operatorHandlers(runtime: Runtime): OperatorHandlers {
  return {
    status: async (c) => {
      const { limit, cursor, label } = c.req.valid('query')
      const status = await ledgerOf(c.env).status(settingsOf(c.env), { cursor: checkedCursor(cursor), limit, ...(label ? { label } : {}) }, runtime.now())
      c.header('Cache-Control', 'no-store')
      return c.json({ ...status, problems: c.var.problems })
    },

    check: checkHandler(runtime),

    listNumbers: async (c) => {
      const { limit, cursor, label } = c.req.valid('query')
      const page = await ledgerOf(c.env).listNumbers(settingsOf(c.env), pageCursor(cursor), limit, label || null)
      c.header('Cache-Control', 'no-store')
      return c.json({
        // An endpoint's query may hold its token: shown without it, here as everywhere.
        numbers: page.numbers.map((n) => ({
          phone: n.phone,
          ...sourceView(n),
          origin: n.origin,
          endpoint_url: n.endpoint_url ? displayEndpointUrl(n.endpoint_url) : null,
          labels: n.labels,
        })),
        total: page.total,
        next_cursor: page.next_cursor,
      })
    },

    // Declared lean: the body is read here, so a bad import lists every bad entry (watch-entries.ts) rather than the first schema issue.
    importNumbers: async (c) => {
      const { entries, problems } = parseImport(c.var.config, c.req.header('Content-Type') ?? 'application/json', await c.req.text(), originOf(c))
      c.header('Cache-Control', 'no-store')
      if (problems.length > 0) {
        const message = `${problems.length} of ${entries.length + problems.length} entries are invalid; nothing was applied`
        return c.json({ error: { code: 'invalid_request', message, entries: problems } }, 400)
      }
      const result = await ledgerOf(c.env).putNumbers(settingsOf(c.env), entries, runtime.now())
      for (const entry of entries) forgetDocs(c, entry.phone)
      return c.json({ added: result.added, changed: result.changed, unchanged: result.unchanged })
    },

    putNumber: async (c) => {
      const phone = normalizePhone(c.req.valid('param').phone)
      const entry = parseEntry(c.var.config, phone, c.req.valid('json') ?? {}, originOf(c))
      const ledger = ledgerOf(c.env)
      const result = await ledger.putNumbers(settingsOf(c.env), [entry], runtime.now())
      const labels = entry.labels ?? (await ledger.watched(settingsOf(c.env), phone))?.labels ?? []
      forgetDocs(c, phone)
      const warnings = credentialWarnings(c.var.config, entry)
      c.header('Cache-Control', 'no-store')
      const endpoint = entry.endpoint_url === undefined ? undefined : entry.endpoint_url === null ? null : displayEndpointUrl(entry.endpoint_url)
      return c.json(
        {
          phone,
          ...sourceView(entry),
          origin: 'operator' as const,
          labels,
          watching: true,
          ...(endpoint === undefined ? {} : { endpoint_url: endpoint }),
          warnings,
        },
        result.added > 0 ? 201 : 200,
      )
    },

    deleteNumber: async (c) => {
      const phone = normalizePhone(c.req.valid('param').phone)
      const found = await ledgerOf(c.env).deleteNumber(settingsOf(c.env), phone, runtime.now())
      if (!found) throw new FlowkeyError('unknown_number', `${phone} is not a watched number`)
      forgetDocs(c, phone)
      c.header('Cache-Control', 'no-store')
      return c.json({ phone, watching: false, history: `/v1/numbers/${encodeURIComponent(phone)}/history` })
    },

    probe: probeHandler(runtime),
  }
}

/** This isolate reads what the ledger just published; other isolates within the rotation bound. */
/** A `+` written raw in a query string arrives as a space. */
function pageCursor(cursor: string | undefined): string {
  return (cursor ?? '').replace(/^ /, '+')
}
