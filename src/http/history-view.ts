/** @module What the public may see of a number's history: type, time, kids, statuses and an error code; no SID, no upstream text. */
import type { ErrorCode } from '../errors'
import type { EventData, FlowkeyEvent } from '../notify/events'

export type PublicEventData = Omit<EventData, 'sid' | 'error'> & { sid: null; error: { code: ErrorCode } | null }

export interface PublicEvent extends Omit<FlowkeyEvent, 'data'> {
  data: PublicEventData
}

/**
 * Upstream text is redacted before it is stored, but it is still another party's words:
 * the public view keeps only the code, and operators (with the token) get the events whole.
 */
export function publicEvent(event: FlowkeyEvent): PublicEvent {
  const { data } = event
  return { ...event, data: { ...data, sid: null, error: data.error ? { code: data.error.code } : null } }
}
