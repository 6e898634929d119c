/** @module Pure: from a number's last status and what Kaleyra just said, the new status, the events, and the key change. */
import type { ErrorInfo } from '../errors'
import type { BusinessKey } from '../keys/pem'
import { NO_EVENT_FIELDS, eventId, sourceOfEvent, type EventData, type EventType, type FlowkeyEvent } from '../notify/events'
import { HISTORY_LIMIT, type KeyRecord, type NumberRecord, type NumberStatus } from '../store/records'

export const VALID = 'VALID'

/** What one check saw. A key that could not be read (not RSA, too short) arrives as an error. */
export type Observation =
  { kind: 'key'; key: BusinessKey; signatureStatus: string } | { kind: 'no_key'; signatureStatus: string | null } | { kind: 'error'; error: ErrorInfo }

export type KeyChange =
  { kind: 'none' } | { kind: 'set'; key: BusinessKey; signatureStatus: string } | { kind: 'status'; signatureStatus: string } | { kind: 'remove' }

export interface Decision {
  status: NumberStatus
  events: FlowkeyEvent[]
  change: KeyChange
}

export interface DecideContext {
  phone: string
  /** The number's key source; absent: Kaleyra. */
  source?: string
  sid: string
  pod: string | null
  /** Run clock, ms. */
  now: number
  failingAfter: number
}

/** A number never checked before starts from here. */
export function initialStatus(sid: string): NumberStatus {
  return {
    sid,
    pod: null,
    checked_at: new Date(0).toISOString(),
    outcome: 'error',
    error: null,
    consecutive_failures: 0,
    failing: false,
    kid: null,
    signature_status: null,
    jwk: null,
    removed_kid: null,
    fetched_at: null,
    event_seq: 0,
  }
}

export function decideChange(prev: NumberStatus, seen: Observation, ctx: DecideContext): Decision {
  const at = new Date(ctx.now).toISOString()
  let seq = prev.event_seq
  const events: FlowkeyEvent[] = []
  const emit = (type: EventType, data: Partial<EventData>): void => {
    seq += 1
    const full: EventData = { ...NO_EVENT_FIELDS, phone: ctx.phone, ...sourceOfEvent(ctx), ...data }
    events.push({ id: eventId(ctx.phone, seq, type, full.kid ?? full.previous_kid), seq, type, timestamp: at, data: full })
  }

  if (seen.kind === 'error') {
    const failures = prev.consecutive_failures + 1
    const failing = prev.failing || failures >= ctx.failingAfter
    if (failing && !prev.failing) {
      emit('check.failing', { kid: prev.kid, signature_status: prev.signature_status, error: seen.error })
    }
    const status: NumberStatus = {
      ...prev,
      source: ctx.source ?? 'kaleyra',
      sid: ctx.sid,
      pod: ctx.pod ?? prev.pod,
      checked_at: at,
      outcome: 'error',
      error: seen.error,
      consecutive_failures: failures,
      failing,
      event_seq: seq,
    }
    return { status, events, change: { kind: 'none' } }
  }

  if (prev.failing) {
    emit('check.recovered', { kid: prev.kid, signature_status: prev.signature_status, error: prev.error })
  }
  const base = {
    ...prev,
    source: ctx.source ?? 'kaleyra',
    sid: ctx.sid,
    pod: ctx.pod,
    checked_at: at,
    fetched_at: at,
    error: null,
    consecutive_failures: 0,
    failing: false,
  }

  if (seen.kind === 'no_key') {
    if (!prev.kid) return { status: { ...base, outcome: 'no_key', event_seq: seq }, events, change: { kind: 'none' } }
    emit('key.removed', { previous_kid: prev.kid, previous_signature_status: prev.signature_status, signature_status: seen.signatureStatus })
    const status: NumberStatus = { ...base, outcome: 'no_key', kid: null, jwk: null, signature_status: null, removed_kid: prev.kid, event_seq: seq }
    return { status, events, change: { kind: 'remove' } }
  }

  const { key, signatureStatus } = seen
  const keyData = { kid: key.kid, spki_sha256: key.spki_sha256, signature_status: signatureStatus }
  let change: KeyChange = { kind: 'none' }
  // After a removal the last good key is the removed one: the same key coming back is no rotation.
  const lastGoodKid = prev.kid ?? prev.removed_kid
  let previousStatus = prev.signature_status
  if (prev.kid !== key.kid) {
    change = { kind: 'set', key, signatureStatus }
    if (lastGoodKid === null) {
      emit('key.first_seen', keyData)
      previousStatus = null
    } else if (lastGoodKid !== key.kid) {
      emit('key.rotated', { ...keyData, previous_kid: lastGoodKid, previous_signature_status: prev.signature_status })
    }
  }
  if (signatureStatus !== previousStatus) {
    if (change.kind === 'none') change = { kind: 'status', signatureStatus }
    if (signatureStatus !== VALID) {
      emit('key.signature_invalid', { ...keyData, previous_signature_status: previousStatus })
    } else if (previousStatus !== null) {
      emit('key.signature_restored', { ...keyData, previous_signature_status: previousStatus })
    }
  }
  const status: NumberStatus = { ...base, outcome: 'key', kid: key.kid, jwk: key.jwk, signature_status: signatureStatus, removed_kid: null, event_seq: seq }
  return { status, events, change }
}

/** Pure: the number record after a decision; the key and the events that explain it land in one write. */
export function applyDecision(record: NumberRecord | null, decision: Decision, ctx: DecideContext): NumberRecord {
  const at = new Date(ctx.now).toISOString()
  const next: NumberRecord = record
    ? { ...record, sid: ctx.sid }
    : { v: 1, phone: ctx.phone, sid: ctx.sid, current: null, previous: null, history: [], event_seq: 0, updated_at: at }
  const { change } = decision
  if (change.kind === 'set') {
    const current: KeyRecord = {
      kid: change.key.kid,
      jwk: change.key.jwk,
      pem: change.key.pem,
      spki_sha256: change.key.spki_sha256,
      signature_status: change.signatureStatus,
      pod: ctx.pod ?? '',
      source: ctx.source ?? 'kaleyra',
      first_seen_at: at,
    }
    next.previous = next.current ?? next.previous
    next.current = current
  } else if (change.kind === 'status' && next.current) {
    next.current = { ...next.current, signature_status: change.signatureStatus }
  } else if (change.kind === 'remove' && next.current) {
    next.previous = next.current
    next.current = null
  }
  next.history = [...[...decision.events].reverse(), ...next.history].slice(0, HISTORY_LIMIT)
  next.event_seq = Math.max(next.event_seq, decision.status.event_seq)
  next.updated_at = at
  return next
}
