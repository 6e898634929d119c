/** @module POST /v1/numbers/{phone}/probe: one probe in flight per number, whose outcome every concurrent caller shares. */
import { FlowkeyError } from '../../errors'
import { settingsOf } from '../../ledger/settings'
import { ledgerOf } from '../../ledger/stub'
import { normalizePhone } from '../../phone'
import { endpointRefusal, type ProbeResult } from '../../probe'
import { probe } from '../../watch/check-batch'
import type { Runtime } from '../context'
import type { Handlers } from '../mount'
import { originOf } from '../request-origin'

/** A leader that has not reported by then (its probe's time-out and this) is given up on. */
const LEADER_GRACE_MS = 5_000

export function probeHandler(runtime: Runtime): Handlers['probe'] {
  return async (c) => {
    const phone = normalizePhone(c.req.valid('param').phone)
    const ledger = ledgerOf(c.env)
    const settings = settingsOf(c.env)
    const { config } = c.var
    const target = await ledger.probeTarget(settings, phone)
    if (!target) throw new FlowkeyError('unknown_number', `${phone} is not a watched number`)
    const url = target.number.endpoint_url
    if (!url)
      throw new FlowkeyError(
        'no_endpoint',
        `${phone} has no Flow endpoint: set one with PUT /v1/numbers/{phone} {"endpoint_url":"https://…"} or FLOW_ENDPOINTS`,
      )
    const refused = endpointRefusal(url, { allowPrivate: config.allowPrivateEndpoints, ownOrigin: originOf(c) })
    if (refused) throw new FlowkeyError('invalid_request', `${phone} is not probed: ${refused}`)
    if (!target.key) throw new FlowkeyError('no_key', `${phone} has no good key yet to encrypt a probe with: run POST /v1/check?phone= first`)
    c.header('Cache-Control', 'no-store')

    // A hundred callers at once send the endpoint one ping: the rest get the outcome of the one in flight.
    const shared = await ledger.joinProbe(phone, runtime.now(), config.probeTimeoutMs + LEADER_GRACE_MS)
    if (shared) return c.json({ phone, ...shared.result, events: shared.events })
    let events: string[]
    let result: ProbeResult
    try {
      result = await probe(config, url, target.number.sid, target.key, { fetch: runtime.fetch, clock: runtime.clock })
      events = (await ledger.recordProbe(settings, phone, { sid: target.number.sid, source: target.number.source }, result, runtime.now())).map((e) => e.type)
    } catch (err) {
      await ledger.abandonProbe(phone)
      throw err
    }
    runtime.log({
      msg: 'endpoint probed',
      level: result.outcome === 'ok' ? 'info' : 'warn',
      phone,
      endpoint: result.url,
      outcome: result.outcome,
      http_status: result.http_status,
      latency_ms: result.latency_ms,
      events,
    })
    return c.json({ phone, ...result, events })
  }
}
