/** @module Public handlers: health and the key routes (the hot path: route, store, isolate cache, KV, nothing more). */
import type { Context } from 'hono'
import { FlowkeyError } from '../../errors'
import { buildSingleJwks, type JwksDocument } from '../../keys/jwks'
import { normalizePhone } from '../../phone'
import { getOrCreate } from '../../store/cache'
import { readNumber } from '../../store/numbers'
import type { StateRecord } from '../../store/records'
import { readState } from '../../store/state'
import { readWatchlist, watchList, type WatchedNumber, type WatchList } from '../../store/watchlist'
import type { AppEnv, Runtime } from '../context'
import type { Handlers } from '../mount'
import { servePublic } from '../public-cache'
import { nextRunAt } from '../views/fleet'
import { fleetViewFromState } from '../views/from-state'
import { buildHealth } from '../views/health'

const JWKS_TYPE = 'application/jwk-set+json; charset=utf-8'

type PublicHandlers = Pick<Handlers, 'healthz' | 'fleetJwks' | 'numberJwks' | 'numberKey' | 'numberHistory'>

export function publicHandlers(runtime: Runtime): PublicHandlers {
  return {
    healthz: async (c) => {
      const [state, watched] = await Promise.all([readState(c.env.KEYS), watchedNumbers(c)])
      const now = runtime.now()
      const view = fleetViewFromState(c.var.config, c.var.problems, state, watched.numbers, now)
      const { status, body } = buildHealth(view, { strict: c.req.valid('query').strict === '1', nextRunAt: nextRunAt(view.last_run, now) })
      c.header('Cache-Control', 'no-store')
      return c.json(body, status)
    },

    fleetJwks: async (c) => {
      const state = await readState(c.env.KEYS)
      return servePublic(c, state.jwks.body, state.jwks.etag, JWKS_TYPE)
    },

    numberJwks: async (c) => {
      const phone = normalizePhone(c.req.param('phone') ?? '')
      const state = await readState(c.env.KEYS)
      await requireWatched(c, phone)
      const doc = singleJwks(state, phone)
      if (!doc) throw noKey(phone)
      return servePublic(c, doc.body, doc.etag, JWKS_TYPE)
    },

    numberKey: async (c) => {
      const phone = normalizePhone(c.req.param('phone') ?? '')
      await requireWatched(c, phone)
      const [record, state] = await Promise.all([readNumber(c.env.KEYS, phone), readState(c.env.KEYS)])
      const key = record?.current
      if (!key) throw noKey(phone)
      const status = state.numbers[phone]
      const checkedAt = status?.checked_at ?? null
      // `?format=pem` lets a plain link (the number's page) fetch the PEM.
      if (c.req.query('format') === 'pem' || prefersPem(c.req.header('Accept'))) return servePublic(c, key.pem, `"${key.kid}.pem"`, 'application/x-pem-file')
      const etag = `"${key.kid}.${key.signature_status}.${checkedAt ? Date.parse(checkedAt).toString(36) : '0'}"`
      const body = {
        phone,
        kid: key.kid,
        jwk: key.jwk,
        pem: key.pem,
        spki_sha256: key.spki_sha256,
        signature_status: key.signature_status,
        pod: status?.pod ?? key.pod,
        first_seen_at: key.first_seen_at,
        fetched_at: status?.fetched_at ?? null,
        checked_at: checkedAt,
      }
      return servePublic(c, JSON.stringify(body), etag)
    },

    numberHistory: async (c) => {
      const phone = normalizePhone(c.req.param('phone') ?? '')
      const record = await readNumber(c.env.KEYS, phone)
      // History outlives watching: a number that was removed still shows what happened to it.
      if (!record) await requireWatched(c, phone)
      return servePublic(c, JSON.stringify({ phone, events: record?.history ?? [] }), `"h${record?.event_seq ?? 0}"`)
    },
  }
}

export async function watchedNumbers(c: Context<AppEnv>): Promise<WatchList> {
  return watchList(c.var.config, await readWatchlist(c.env.KEYS))
}

export async function requireWatched(c: Context<AppEnv>, phone: string): Promise<WatchedNumber> {
  const found = (await watchedNumbers(c)).byPhone.get(phone)
  if (!found) throw new FlowkeyError('unknown_number', `${phone} is not a watched number`)
  return found
}

/** True when the client ranks `application/x-pem-file` above JSON (RFC 9110 §12.5.1 q-values; q=0 means "not this"). */
export function prefersPem(accept: string | undefined): boolean {
  let pem = 0
  let json = 0
  for (const range of (accept ?? '').split(',')) {
    const [type, ...params] = range.trim().toLowerCase().split(';')
    const q = Number(
      params
        .map((p) => p.trim())
        .find((p) => p.startsWith('q='))
        ?.slice(2) ?? 1,
    )
    const weight = Number.isFinite(q) ? q : 0
    if (type === 'application/x-pem-file') pem = Math.max(pem, weight)
    else if (type === 'application/json' || type === 'application/*' || type === '*/*') json = Math.max(json, weight)
  }
  return pem > 0 && pem >= json
}

function noKey(phone: string): FlowkeyError {
  return new FlowkeyError('no_key', `${phone} is watched but has no good key yet`)
}

const singleDocs = new WeakMap<StateRecord, Map<string, JwksDocument>>()

/** Built once per state the isolate holds, so a warm request is a lookup. */
function singleJwks(state: StateRecord, phone: string): JwksDocument | null {
  const jwk = state.numbers[phone]?.jwk
  if (!jwk) return null
  return getOrCreate(
    getOrCreate(singleDocs, state, () => new Map()),
    phone,
    () => buildSingleJwks(jwk),
  )
}
