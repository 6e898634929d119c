/** @module The watch list: WATCH_NUMBERS merged with numbers added, changed or removed through the operator routes. */
import type { Config } from '../config'
import type { PodSetting } from '../kaleyra/pods'
import { getOrCreate, readCached, remember } from './cache'
import { WATCHLIST_KEY } from './kv-keys'
import type { WatchlistRecord } from './records'

export interface WatchedNumber {
  phone: string
  sid: string
  pod: PodSetting
  source: 'config' | 'operator'
}

export function parseWatchlist(text: string | null): WatchlistRecord {
  if (text) {
    try {
      const value = JSON.parse(text) as WatchlistRecord
      if (value?.v === 1 && value.numbers && typeof value.numbers === 'object') return value
    } catch {
      // Fall through: an unreadable list is reported by the numbers it no longer shows.
    }
  }
  return { v: 1, numbers: {} }
}

export function readWatchlist(kv: KVNamespace, fresh = false): Promise<WatchlistRecord> {
  if (fresh) return kv.get(WATCHLIST_KEY, 'text').then(parseWatchlist)
  return readCached(kv, WATCHLIST_KEY, parseWatchlist)
}

export async function writeWatchlist(kv: KVNamespace, record: WatchlistRecord): Promise<void> {
  await kv.put(WATCHLIST_KEY, JSON.stringify(record))
  remember(kv, WATCHLIST_KEY, record)
}

export interface WatchList {
  /** Sorted by phone, for stable paging. */
  numbers: WatchedNumber[]
  byPhone: ReadonlyMap<string, WatchedNumber>
}

const lists = new WeakMap<WatchlistRecord, WeakMap<Config, WatchList>>()

/** Merged once per (config, cached record) pair: a key route asks on every request, so it must be a lookup. */
export function watchList(config: Config, record: WatchlistRecord): WatchList {
  return getOrCreate(getOrCreate(lists, record, () => new WeakMap()), config, () => {
    const numbers = mergeWatchlist(config, record)
    return { numbers, byPhone: new Map(numbers.map((n) => [n.phone, n])) }
  })
}

/** Operator entries override WATCH_NUMBERS; a null entry hides a WATCH_NUMBERS number. Sorted for stable paging. */
export function mergeWatchlist(config: Config, record: WatchlistRecord): WatchedNumber[] {
  const merged = new Map<string, WatchedNumber>()
  if (config.sid) {
    for (const phone of config.watchNumbers) merged.set(phone, { phone, sid: config.sid, pod: config.pod, source: 'config' })
  }
  for (const [phone, entry] of Object.entries(record.numbers)) {
    if (entry === null) merged.delete(phone)
    else merged.set(phone, { phone, sid: entry.sid, pod: entry.pod, source: 'operator' })
  }
  return [...merged.values()].sort((a, b) => (a.phone < b.phone ? -1 : a.phone > b.phone ? 1 : 0))
}
