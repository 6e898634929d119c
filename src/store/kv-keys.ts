/** @module Every KV key flowkey uses (docs/kv-schema.md); exported so tests can seed and inspect them. */

export const STATE_KEY = 'state'
export const WATCHLIST_KEY = 'watchlist'
export const NUMBER_KEY_PREFIX = 'number:'

export function numberKey(phone: string): string {
  return `${NUMBER_KEY_PREFIX}${phone}`
}
