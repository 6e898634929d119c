/** @module A number's mute from start to end: a history note for each, and at its end the current problem's event queued once. */
import { currentProblemEvents } from '../notify/current-problem'
import { NO_EVENT_FIELDS, type FlowkeyEvent, type MuteNote, type NoteType } from '../notify/events'
import type { ChannelName } from '../notify/outbox'
import { appendHistory, readHistory, readNumber } from './number-records'
import { enqueueEvents } from './outbox-table'
import { deleteMute, writeMute, type Mute } from './mute-table'

export function startMute(sql: SqlStorage, phone: string, until: number, reason: string, now: number): Mute {
  writeMute(sql, phone, until, reason, now)
  const mute = { until: new Date(until).toISOString(), reason, muted_at: new Date(now).toISOString() }
  appendNote(sql, phone, 'number.muted', { until: mute.until, reason, ended: null }, now)
  return mute
}

/**
 * Ends a mute (DELETE, or the first run after `until`): a note in history, then the event of
 * each problem the number still has, queued for its channels as it would have been. The event
 * keeps its id, so a receiver that already had it (a problem older than the mute) dedupes it.
 * Returns the events queued; null when the number was not muted.
 */
export function endMute(
  sql: SqlStorage,
  phone: string,
  ended: 'unmuted' | 'expired',
  channels: readonly ChannelName[],
  now: number,
  mute: Mute | null = deleteMute(sql, phone),
): FlowkeyEvent[] | null {
  if (!mute) return null
  appendNote(sql, phone, 'number.unmuted', { until: mute.until, reason: mute.reason, ended }, now)
  const stored = readNumber(sql, phone)
  if (!stored) return []
  const events = currentProblemEvents(stored.status, stored.endpoint?.alerted ?? 'none', readHistory(sql, phone))
  enqueueEvents(sql, events, channels, now)
  return events
}

/** A note takes the number's next sequence number, so history keeps the order things happened in. */
function appendNote(sql: SqlStorage, phone: string, type: NoteType, mute: MuteNote['mute'], now: number): void {
  const stored = readNumber(sql, phone)
  if (!stored) return
  const seq = stored.status.event_seq + 1
  const note: MuteNote = {
    id: `note_${phone.replace(/^\+/, '')}_${seq}_${type.replace('.', '_')}`,
    seq,
    type,
    timestamp: new Date(now).toISOString(),
    data: { ...NO_EVENT_FIELDS, phone, sid: stored.status.sid, pod: stored.status.pod },
    mute,
  }
  sql.exec(
    'UPDATE numbers SET status = ?, event_seq = ?, history_dirty = history_dirty + 1 WHERE phone = ?',
    JSON.stringify({ ...stored.status, event_seq: seq }),
    seq,
    phone,
  )
  appendHistory(sql, phone, [note])
}
