/**
 * @module Keeps the fleet index (fleet-index.ts) in step with what decides attention: after each recorded batch,
 * probe and watch-list write (the caller's transaction), when a mute ends, and from scratch when the configuration
 * that shapes it changes (WATCH_NUMBERS, FLOW_ENDPOINTS, FAILING_AFTER) or on a ledger that never had it.
 */
import type { Config } from '../config'
import { clearIndex, mutesEnded, writeIndex, type IndexEntry } from './fleet-index'
import { readMutes } from './mute-table'
import { readNumbers } from './number-records'
import { readMeta, writeMeta } from './schema'
import { attentionRules, numberView } from './views'
import type { WatchIndex, WatchedNumber } from './watch-list'

/** Raised when what a row holds changes meaning: every ledger rebuilds its index once. */
const INDEX_VERSION = 1
/** Rows read per statement on a rebuild. */
const CHUNK = 500

/** A watched number by phone: the ledger's watch list, or that list with a transaction's writes on top. */
export type FindWatched = (phone: string) => WatchedNumber | undefined

/** The verdict of each phone now: its reasons while watched, null once it is not. */
export function indexEntries(sql: SqlStorage, find: FindWatched, config: Config, phones: readonly string[], now: number): IndexEntry[] {
  const stored = readNumbers(sql, phones)
  const mutes = readMutes(sql, phones)
  const rules = attentionRules(config, now)
  return phones.map((phone) => {
    const number = find(phone)
    if (!number) return { phone, reasons: null, mutedUntil: null }
    const mute = mutes.get(phone) ?? null
    const found = stored.get(phone)
    const view = numberView(number, found?.status, found?.endpoint ?? null, rules, mute)
    // While muted its reasons are empty; the row remembers when they may count again.
    return { phone, reasons: view.attention, mutedUntil: mute && mute.until_ms > now ? mute.until_ms : null }
  })
}

/** Re-decides these numbers and writes their rows and the counts. */
export function reindex(sql: SqlStorage, find: FindWatched, config: Config, phones: Iterable<string>, now: number): void {
  const list = [...new Set(phones)]
  for (let i = 0; i < list.length; i += CHUNK) writeIndex(sql, indexEntries(sql, find, config, list.slice(i, i + CHUNK), now))
}

/** What the index was built from beyond the ledger's own writes (and whether a 0.1 upgrade was under way): when it differs, the index is rebuilt. */
function fingerprint(sql: SqlStorage, config: Config): string {
  const upgrade = readMeta<{ phase: string }>(sql, 'upgrade')?.phase ?? null
  return JSON.stringify([INDEX_VERSION, upgrade, config.sid, config.failingAfter, [...config.watchNumbers].sort(), [...config.flowEndpoints.entries()].sort()])
}

/** Rebuilds the whole index when its configuration changed (a deploy) or it was never built: O(fleet), once. */
export function syncIndex(sql: SqlStorage, watched: WatchIndex, config: Config, now: number): boolean {
  const print = fingerprint(sql, config)
  if (readMeta<string>(sql, 'fleet_index_of') === print) return false
  clearIndex(sql)
  reindex(
    sql,
    (phone) => watched.byPhone.get(phone),
    config,
    watched.list.map((n) => n.phone),
    now,
  )
  writeMeta(sql, 'fleet_index_of', print)
  return true
}

/** Mutes that ended since their numbers' rows were written: those numbers count again. A handful of rows at most. */
export function reindexEndedMutes(sql: SqlStorage, watched: WatchIndex, config: Config, now: number): void {
  const ended = mutesEnded(sql, now)
  if (ended.length > 0) reindex(sql, (phone) => watched.byPhone.get(phone), config, ended, now)
}
