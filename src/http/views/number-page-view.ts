/** @module The view model of one number's page: what it shows, in plain fields (no secrets, no endpoint URL). */
import type { NumberView } from './fleet'

export interface KeyView {
  kid: string
  signature_status: string
  first_seen_at: string
  spki_sha256: string
}

export interface HistoryItemView {
  type: string
  timestamp: string
  kid: string | null
  previous_kid: string | null
  signature_status: string | null
  error_code: string | null
  /** A mute or its end (history notes only). */
  mute: { until: string; reason: string; ended: 'unmuted' | 'expired' | null } | null
}

export interface NumberPageView {
  now: number
  phone: string
  /** A number no longer watched still shows its keys and history. */
  watched: boolean
  number: NumberView | null
  current: KeyView | null
  previous: KeyView | null
  /** Newest first. */
  history: HistoryItemView[]
}
