/** @module PUT and DELETE /v1/numbers/{phone}/mute: a number's notifications held until a time, or released now. */
import { FlowkeyError } from '../../errors'
import { settingsOf } from '../../ledger/settings'
import { ledgerOf } from '../../ledger/stub'
import { normalizePhone } from '../../phone'
import type { Runtime } from '../context'
import type { Handlers } from '../mount'
import { parseMuteRequest } from '../mute-request'

export function muteHandlers(runtime: Runtime): Pick<Handlers, 'muteNumber' | 'unmuteNumber'> {
  return {
    muteNumber: async (c) => {
      const phone = normalizePhone(c.req.valid('param').phone)
      const now = runtime.now()
      const { until, reason } = parseMuteRequest(c.req.valid('json') ?? {}, now)
      const mute = await ledgerOf(c.env).mute(settingsOf(c.env), phone, until, reason, now)
      if (!mute) throw new FlowkeyError('unknown_number', `${phone} is not a watched number`)
      c.header('Cache-Control', 'no-store')
      return c.json({ phone, muted: mute })
    },

    unmuteNumber: async (c) => {
      const phone = normalizePhone(c.req.valid('param').phone)
      const found = await ledgerOf(c.env).unmute(settingsOf(c.env), phone, runtime.now())
      if (!found) throw new FlowkeyError('unknown_number', `${phone} is not a watched number`)
      c.header('Cache-Control', 'no-store')
      return c.body(null, 204)
    },
  }
}
