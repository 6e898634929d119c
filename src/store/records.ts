/** @module The shapes of a number's key records and last check, as the ledger keeps them (docs/storage-schema.md). */
import type { ErrorInfo } from '../errors'
import type { PublicJwk } from '../keys/pem'
import type { HistoryEntry } from '../notify/events'

export const HISTORY_LIMIT = 100

/** A good key as it was fetched: everything the key route serves, ready-made. */
export interface KeyRecord {
  kid: string
  jwk: PublicJwk
  pem: string
  spki_sha256: string
  signature_status: string
  pod: string
  /** Where the key was read; absent in records made before key sources: Kaleyra. */
  source?: string
  first_seen_at: string
}

/** A number's key records and history (the ledger's `numbers` and `events` rows; flowkey 0.1's `number:<phone>`). */
export interface NumberRecord {
  v: 1
  phone: string
  sid: string
  current: KeyRecord | null
  previous: KeyRecord | null
  /** Newest first, at most HISTORY_LIMIT. */
  history: HistoryEntry[]
  /** Sequence of the newest event recorded here. */
  event_seq: number
  updated_at: string
}

export type CheckOutcome = 'key' | 'no_key' | 'error'

/** One number's last check (the ledger's `numbers.status`). */
export interface NumberStatus {
  /** The source of the last check; absent before key sources: Kaleyra. */
  source?: string
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
