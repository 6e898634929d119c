/** @module Operator handlers: status, check now, the watch list; bulk import and probe wait for their backends (501). */
import { FlowkeyError } from '../../errors'
import { normalizePhone } from '../../phone'
import { readState } from '../../store/state'
import { readWatchlist, writeWatchlist, type WatchedNumber } from '../../store/watchlist'
import { forgetNumber } from '../../watch/forget'
import { runCheck } from '../../watch/run-check'
import type { Runtime } from '../context'
import type { Handlers } from '../mount'
import { statusNumberFromState } from '../views/from-state'
import { describeNotifications } from './notifications'
import { watchedNumbers } from './public'

type OperatorHandlers = Pick<Handlers, 'status' | 'check' | 'listNumbers' | 'importNumbers' | 'putNumber' | 'deleteNumber' | 'probe'>

/** One page of a list sorted by phone, after `cursor`. */
export function pageOf<T extends { phone: string }>(all: readonly T[], cursor: string | undefined, limit: number): { page: T[]; next_cursor: string | null } {
  const page = all.filter((n) => n.phone > (cursor ?? '')).slice(0, limit)
  const last = page[page.length - 1]
  const more = last !== undefined && last.phone < all[all.length - 1].phone
  return { page, next_cursor: more ? last.phone : null }
}

export function operatorHandlers(runtime: Runtime): OperatorHandlers {
  return {
    status: async (c) => {
      const { limit, cursor } = c.req.valid('query')
      const [state, { numbers: watched }] = await Promise.all([readState(c.env.KEYS), watchedNumbers(c)])
      const { page, next_cursor } = pageOf(watched, cursor, limit)
      const numbers = page.map((n) => statusNumberFromState(n, state.numbers[n.phone]))
      c.header('Cache-Control', 'no-store')
      return c.json({
        last_run: state.last_run,
        numbers,
        total: watched.length,
        next_cursor,
        notifications: describeNotifications(c.var.config, state, runtime.now()),
        heartbeat: state.heartbeat,
        problems: c.var.problems,
      })
    },

    check: async (c) => {
      const query = c.req.valid('query').phone
      let phone: string | undefined
      if (query !== undefined) {
        // A `+` in a query string arrives as a space unless it was written %2B.
        phone = normalizePhone(query.replace(/^ /, '+'))
        if (!(await watchedNumbers(c)).byPhone.has(phone)) throw new FlowkeyError('unknown_number', `${phone} is not a watched number`)
      }
      const { config, problems } = c.var
      const report = await runCheck(
        config,
        problems,
        { kv: c.env.KEYS, fetch: runtime.fetch, now: runtime.now(), log: runtime.log, deliver: runtime.deliverFor(config) },
        { trigger: 'manual', cron: null, phone },
      )
      c.header('Cache-Control', 'no-store')
      return c.json(report)
    },

    listNumbers: async (c) => {
      const { limit, cursor } = c.req.valid('query')
      const watched = (await watchedNumbers(c)).numbers
      const { page, next_cursor } = pageOf(watched, cursor, limit)
      c.header('Cache-Control', 'no-store')
      return c.json({ numbers: page.map(({ phone, sid, pod, source }: WatchedNumber) => ({ phone, sid, pod, source })), total: watched.length, next_cursor })
    },

    importNumbers: () => {
      throw new FlowkeyError('not_implemented', 'Bulk import arrives with the ledger (issue 7): add numbers one at a time with PUT /v1/numbers/{phone} for now')
    },

    putNumber: async (c) => {
      const phone = normalizePhone(c.req.valid('param').phone)
      const body = c.req.valid('json')
      // null ("remove it") is already true of every number: only setting one needs the probe's backend.
      if (body.endpoint_url !== undefined && body.endpoint_url !== null) {
        throw new FlowkeyError('not_implemented', 'endpoint_url arrives with the endpoint probe (issue 9); leave it out for now')
      }
      const sid = body.sid ?? c.var.config.sid
      if (!sid) throw new FlowkeyError('invalid_request', 'Body needs "sid": the Kaleyra account SID (letters, digits, - or _), unless KALEYRA_SID is set')
      const pod = body.pod ?? 'auto'
      const existed = (await watchedNumbers(c)).byPhone.has(phone)
      const list = await readWatchlist(c.env.KEYS, true)
      list.numbers[phone] = { sid, pod, added_at: new Date(runtime.now()).toISOString() }
      await writeWatchlist(c.env.KEYS, list)
      const warnings: string[] = []
      if (!c.var.config.apiKeysBySid.has(sid) && !c.var.config.defaultApiKey) {
        warnings.push(`No API key for SID ${sid}: set the secret KALEYRA_API_KEY_${sid} (or KALEYRA_API_KEY) or its checks will fail`)
      }
      c.header('Cache-Control', 'no-store')
      return c.json({ phone, sid, pod, source: 'operator' as const, watching: true as const, warnings }, existed ? 200 : 201)
    },

    deleteNumber: async (c) => {
      const phone = normalizePhone(c.req.valid('param').phone)
      if (!(await watchedNumbers(c)).byPhone.has(phone)) throw new FlowkeyError('unknown_number', `${phone} is not a watched number`)
      const list = await readWatchlist(c.env.KEYS, true)
      // A WATCH_NUMBERS entry cannot be edited from here: a null entry hides it.
      if (c.var.config.watchNumbers.includes(phone)) list.numbers[phone] = null
      else delete list.numbers[phone]
      await writeWatchlist(c.env.KEYS, list)
      await forgetNumber(c.env.KEYS, phone)
      c.header('Cache-Control', 'no-store')
      return c.json({ phone, watching: false as const, history: `/v1/numbers/${encodeURIComponent(phone)}/history` })
    },

    probe: (c) => {
      const phone = normalizePhone(c.req.valid('param').phone)
      throw new FlowkeyError('not_implemented', `Endpoint probes arrive with issue 9: ${phone} cannot be probed by this build yet`)
    },
  }
}
