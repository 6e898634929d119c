/** @module The event that stands for a number's current problem (pure): what a mute held back, delivered once when the mute ends. */
import type { EndpointAlert } from '../probe/decide-endpoint'
import type { NumberStatus } from '../store/records'
import { isNote, type EventType, type FlowkeyEvent, type HistoryEntry } from './events'

/** Each problem event, what says it is over, and whether the number's state says it still holds. */
const PROBLEMS: { type: EventType; over: EventType[]; holds: (s: NumberStatus, endpoint: EndpointAlert) => boolean }[] = [
  { type: 'check.failing', over: ['check.recovered'], holds: (s) => s.failing },
  { type: 'key.removed', over: ['key.first_seen', 'key.rotated'], holds: (s) => !s.kid && s.removed_kid !== null },
  { type: 'key.signature_invalid', over: ['key.signature_restored', 'key.removed'], holds: (s) => s.kid !== null && s.signature_status !== 'VALID' },
  { type: 'endpoint.key_mismatch', over: ['endpoint.restored', 'endpoint.failing'], holds: (_s, e) => e === 'key_mismatch' },
  { type: 'endpoint.failing', over: ['endpoint.restored', 'endpoint.key_mismatch'], holds: (_s, e) => e === 'failing' },
]

/**
 * The events of the problems the number still has, oldest first: for each kind, its
 * newest event when nothing since said it was over and the number's state agrees.
 * `history` is newest first, as the ledger reads it.
 */
export function currentProblemEvents(status: NumberStatus, endpoint: EndpointAlert, history: readonly HistoryEntry[]): FlowkeyEvent[] {
  const events = history.filter((e): e is FlowkeyEvent => !isNote(e))
  const found: FlowkeyEvent[] = []
  for (const problem of PROBLEMS) {
    if (!problem.holds(status, endpoint)) continue
    const newest = events.find((e) => e.type === problem.type || problem.over.includes(e.type))
    if (newest?.type === problem.type) found.push(newest)
  }
  return found.sort((a, b) => a.seq - b.seq)
}
