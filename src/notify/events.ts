/** @module The events of INTERFACE.md, as recorded in history, queued in the outbox and sent to receivers. */
import type { ErrorInfo } from '../errors'

export const EVENT_TYPES = [
  'key.first_seen',
  'key.rotated',
  'key.removed',
  'key.signature_invalid',
  'key.signature_restored',
  'check.failing',
  'check.recovered',
  'endpoint.key_mismatch',
  'endpoint.failing',
  'endpoint.restored',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

/** History entries that are not events: never queued nor sent, they say what an operator did to a number. */
export const NOTE_TYPES = ['number.muted', 'number.unmuted'] as const
export type NoteType = (typeof NOTE_TYPES)[number]

/** Fields that do not apply are null, never absent, so receivers can rely on the shape. */
export interface EventData {
  phone: string
  /** The number's key source (`kaleyra`, `meta`, `360dialog`, `aws`); null only on a test ping. */
  source: string | null
  /** Kaleyra's SID and pod; null for a number of another source. */
  sid: string | null
  pod: string | null
  kid: string | null
  previous_kid: string | null
  spki_sha256: string | null
  signature_status: string | null
  previous_signature_status: string | null
  error: ErrorInfo | null
  /** Set for `endpoint.*` events only. */
  endpoint: EndpointInfo | null
}

/** Every field of an event's data, none applying: each event starts from it, so the shape is written once. */
export const NO_EVENT_FIELDS = {
  phone: null,
  source: null,
  sid: null,
  pod: null,
  kid: null,
  previous_kid: null,
  spki_sha256: null,
  signature_status: null,
  previous_signature_status: null,
  error: null,
  endpoint: null,
} as const satisfies Record<keyof EventData, null>

/** Who an event's number is read from: `sid` and `pod` are Kaleyra's, null for any other source. */
export function sourceOfEvent(ctx: { source?: string; sid: string; pod: string | null }): { source: string; sid: string | null; pod: string | null } {
  const source = ctx.source ?? 'kaleyra'
  return source === 'kaleyra' ? { source, sid: ctx.sid, pod: ctx.pod } : { source, sid: null, pod: null }
}

/** A Flow endpoint as events show it: the URL without its query string (it may hold a token). */
export interface EndpointInfo {
  url: string
  /** A probe outcome (probe/outcome.ts): ok, key_mismatch, signature_rejected, bad_response, http_error, unreachable. */
  outcome: string
  http_status: number | null
}

export interface FlowkeyEvent {
  /** Stable across every delivery attempt: the Standard Webhooks `webhook-id`. */
  id: string
  /** Per-number sequence, to find events a crashed run recorded but did not queue. */
  seq: number
  type: EventType
  /** ISO 8601, on the run's clock. */
  timestamp: string
  data: EventData
}

/** A mute or its end, as the number's history shows it (the operator token cannot say who, so the reason and time stand for it). */
export interface MuteNote extends Omit<FlowkeyEvent, 'type'> {
  type: NoteType
  mute: { until: string; reason: string; ended: 'unmuted' | 'expired' | null }
}

/** One entry of a number's history. */
export type HistoryEntry = FlowkeyEvent | MuteNote

export function isNote(entry: HistoryEntry): entry is MuteNote {
  return (NOTE_TYPES as readonly string[]).includes(entry.type)
}

/** The body receivers get: `{"type","timestamp","data"}`. */
export function eventPayload(event: Pick<FlowkeyEvent, 'type' | 'timestamp' | 'data'>): { type: string; timestamp: string; data: EventData } {
  // Events recorded before `endpoint` existed lack it: receivers still get the documented shape.
  // Likewise events recorded before key sources lack `source`: they were all Kaleyra's.
  const source = event.data.source === undefined && event.data.phone ? 'kaleyra' : (event.data.source ?? null)
  return { type: event.type, timestamp: event.timestamp, data: { ...event.data, source, endpoint: event.data.endpoint ?? null } }
}

/** Deterministic, so two runs that see the same change name it the same (receivers dedupe on it). */
export function eventId(phone: string, seq: number, type: EventType, kid: string | null): string {
  return `evt_${phone.replace(/^\+/, '')}_${seq}_${type.replace('.', '_')}_${(kid ?? 'none').slice(0, 8)}`
}
