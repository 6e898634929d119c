/** @module The documents the ledger publishes to KV for the public routes, and their readers through the isolate cache. */
import type { JwksDocument } from '../keys/jwks'
import { readCached } from './cache'
import { JWKS_KEY, RUN_KEY, historyDocKey, numberDocKey } from './kv-keys'
import type { CheckOutcome, KeyRecord } from './records'

/** `doc:<phone>`: rewritten only when what it shows changes. */
export interface NumberDoc {
  v: 2
  phone: string
  /** False once the number is no longer watched: its key routes answer unknown_number. */
  watched: boolean
  outcome: CheckOutcome | null
  /** The number's key source; absent in documents written before key sources: Kaleyra. */
  source?: string
  pod: string | null
  /** As of this document's write; a later complete run moves them on (see keyCheckTimes). */
  checked_at: string | null
  fetched_at: string | null
  key: KeyRecord | null
  jwks: JwksDocument | null
}

/** `history:<phone>`: the public form of the number's history, ready to send. */
export interface HistoryDoc {
  v: 2
  phone: string
  body: string
  etag: string
}

/** `run`: the last complete run. */
export interface RunDoc {
  v: 2
  id: string
  trigger: 'cron' | 'manual'
  cron: string | null
  started_at: string
  finished_at: string
  checked: number
  succeeded: number
  failed: number
}

export interface JwksDoc extends JwksDocument {
  v: 2
}

function parseAs<T extends { v: number }>(text: string | null): T | null {
  if (!text) return null
  try {
    const value = JSON.parse(text) as T
    return value?.v === 2 ? value : null
  } catch {
    return null
  }
}

export const readNumberDoc = (kv: KVNamespace, phone: string): Promise<NumberDoc | null> => readCached(kv, numberDocKey(phone), parseAs<NumberDoc>)
export const readHistoryDoc = (kv: KVNamespace, phone: string): Promise<HistoryDoc | null> => readCached(kv, historyDocKey(phone), parseAs<HistoryDoc>)
export const readRunDoc = (kv: KVNamespace): Promise<RunDoc | null> => readCached(kv, RUN_KEY, parseAs<RunDoc>)
export const readJwksDoc = (kv: KVNamespace): Promise<JwksDoc | null> => readCached(kv, JWKS_KEY, parseAs<JwksDoc>)

/**
 * A number whose outcome has not changed since its document was written was checked
 * again by every complete run since: the last one's start stands for both times.
 */
export function keyCheckTimes(doc: NumberDoc, run: RunDoc | null): { checked_at: string | null; fetched_at: string | null } {
  if (!run || !doc.checked_at || run.started_at <= doc.checked_at) return { checked_at: doc.checked_at, fetched_at: doc.fetched_at }
  return { checked_at: run.started_at, fetched_at: doc.outcome === 'key' ? run.started_at : doc.fetched_at }
}
