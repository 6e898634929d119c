/** @module The human pages and the OpenAPI document: data access here, the views are pure (views/). */
import { FlowkeyError } from '../../errors'
import { normalizePhone } from '../../phone'
import { readNumber } from '../../store/numbers'
import { readState } from '../../store/state'
import type { Runtime } from '../context'
import type { Handlers } from '../mount'
import { fleetViewFromState, numberPageFromRecords } from '../views/from-state'
import { buildNumberPage } from '../views/number-page'
import { buildStatusPage } from '../views/status-page'
import { watchedNumbers } from './public'

export function pageHandlers(runtime: Runtime, openapiDocument: () => object): Pick<Handlers, 'statusPage' | 'numberPage' | 'openapi'> {
  return {
    statusPage: async (c) => {
      const [state, watched] = await Promise.all([readState(c.env.KEYS), watchedNumbers(c)])
      const view = fleetViewFromState(c.var.config, c.var.problems, state, watched.numbers, runtime.now())
      c.header('Cache-Control', 'no-store')
      return c.html(buildStatusPage(view, c.req.valid('query')))
    },

    numberPage: async (c) => {
      const phone = normalizePhone(c.req.valid('param').phone)
      const [state, watched, record] = await Promise.all([readState(c.env.KEYS), watchedNumbers(c), readNumber(c.env.KEYS, phone)])
      const isWatched = watched.byPhone.has(phone)
      if (!isWatched && !record) throw new FlowkeyError('unknown_number', `${phone} is not a watched number`)
      c.header('Cache-Control', 'no-store')
      return c.html(buildNumberPage(numberPageFromRecords(phone, isWatched, state.numbers[phone], record, runtime.now())))
    },

    openapi: (c) => {
      c.header('Cache-Control', 'public, max-age=300')
      return c.json(openapiDocument())
    },
  }
}
