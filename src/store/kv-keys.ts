/** @module Every KV key flowkey uses (docs/storage-schema.md); exported so tests can seed and inspect them. */

/** Per number: what its key routes serve. */
export const NUMBER_DOC_PREFIX = 'doc:'
/** Per number: its public history. */
export const HISTORY_DOC_PREFIX = 'history:'
/** The fleet JWKS, deduplicated by kid. */
export const JWKS_KEY = 'jwks'
/** The last complete run, for /healthz and the key route's checked_at. */
export const RUN_KEY = 'run'

export const numberDocKey = (phone: string): string => `${NUMBER_DOC_PREFIX}${phone}`
export const historyDocKey = (phone: string): string => `${HISTORY_DOC_PREFIX}${phone}`

/** Records of flowkey before the ledger (0.1), read once by the upgrade and then left alone. */
export const LEGACY_STATE_KEY = 'state'
export const LEGACY_WATCHLIST_KEY = 'watchlist'
export const LEGACY_NUMBER_PREFIX = 'number:'
