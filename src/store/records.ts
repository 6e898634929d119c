/** @module The shapes flowkey keeps in KV (docs/kv-schema.md), each with a version field. */
import type { ErrorInfo } from '../errors'
import type { PodSetting } from '../kaleyra/pods'
import type { RunCost } from '../watch/meter'
import type { JwksDocument } from '../keys/jwks'
import type { PublicJwk } from '../keys/pem'
import type { FlowkeyEvent } from '../notify/events'
import type { ChannelName, ChannelStats, OutboxEntry } from '../notify/outbox'

export const HISTORY_LIMIT = 100

/** A good key as it was fetched: everything the key route serves, ready-made. */
export interface KeyRecord {
  kid: string
  jwk: PublicJwk
  pem: string
  spki_sha256: string
  signature_status: string
  pod: string
  first_seen_at: string
}

/** `number:<phone>`: written only when something about the number changed. */
export interface NumberRecord {
  v: 1
  phone: string
  sid: string
  current: KeyRecord | null
  previous: KeyRecord | null
  /** Newest first, at most HISTORY_LIMIT. */
  history: FlowkeyEvent[]
  /** Sequence of the newest event recorded here. */
  event_seq: number
  updated_at: string
}

export type CheckOutcome = 'key' | 'no_key' | 'error'

/** One number's last check, kept in the run record so an unchanged number costs no write. */
export interface NumberStatus {
  sid: string
  pod: string | null
  checked_at: string
  outcome: CheckOutcome
  error: ErrorInfo | null
  consecutive_failures: number
  /** `check.failing` was sent for the outage under way. */
  failing: boolean
  kid: string | null
  signature_status: string | null
  jwk: PublicJwk | null
  /** The kid of a key Kaleyra stopped returning: a later key is compared with it. */
  removed_kid: string | null
  /** Last time Kaleyra answered for this number. */
  fetched_at: string | null
  event_seq: number
}

export interface RunSummary {
  id: string
  trigger: 'cron' | 'manual'
  cron: string | null
  started_at: string
  finished_at: string
  /** The cron's period, so /healthz knows when the runs have gone quiet. */
  interval_ms: number
  checked: number
  succeeded: number
  failed: number
  events: number
  /** Changes seen but left for the next run, past this run's KV operations. */
  deferred: number
  /** What the run cost, its own write of this record included. */
  cost: RunCost
}

export interface HeartbeatState {
  at: string
  ok: boolean
  error: string | null
}

/** `state`: the run's bookkeeping, written once per run. */
export interface StateRecord {
  v: 1
  last_run: RunSummary | null
  numbers: Record<string, NumberStatus>
  /** JWKS of every current key, rebuilt when a key changes. */
  jwks: JwksDocument
  /** For `auto`: the pod that last answered for each SID. */
  pods: Record<string, string>
  outbox: OutboxEntry[]
  channels: Partial<Record<ChannelName, ChannelStats>>
  heartbeat: HeartbeatState | null
}

export interface WatchEntry {
  sid: string
  pod: PodSetting
  added_at: string
}

/** `watchlist`: numbers added or changed through the operator routes; null marks a WATCH_NUMBERS entry that was removed. */
export interface WatchlistRecord {
  v: 1
  numbers: Record<string, WatchEntry | null>
}
