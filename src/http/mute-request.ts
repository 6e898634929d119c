/** @module What PUT /v1/numbers/{phone}/mute accepts (pure): a time in the future, at most 30 days ahead, and a short reason. */
import { FlowkeyError } from '../errors'

export const MAX_MUTE_MS = 30 * 24 * 60 * 60_000
export const MAX_REASON_CHARS = 200
/** A time with its date and clock, as ISO 8601 writes it; the zone may be Z or an offset. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

export function parseMuteRequest(body: { until?: unknown; reason?: unknown }, now: number): { until: number; reason: string } {
  const given = typeof body.until === 'string' ? body.until.trim() : ''
  const until = ISO_TIME.test(given) ? Date.parse(given) : NaN
  if (Number.isNaN(until)) {
    throw new FlowkeyError('invalid_request', '"until" must be an ISO 8601 time with its zone, e.g. 2026-12-24T18:00:00Z')
  }
  if (until <= now) throw new FlowkeyError('invalid_request', `"until" ${given.slice(0, 40)} is not in the future`)
  if (until > now + MAX_MUTE_MS)
    throw new FlowkeyError('invalid_request', `"until" may be at most 30 days ahead (${new Date(now + MAX_MUTE_MS).toISOString()})`)
  const reason = body.reason === undefined || body.reason === null ? '' : body.reason
  if (typeof reason !== 'string' || reason.length > MAX_REASON_CHARS) {
    throw new FlowkeyError('invalid_request', `"reason" must be text of at most ${MAX_REASON_CHARS} characters`)
  }
  return { until, reason: reason.trim() }
}
