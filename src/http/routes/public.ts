/** @module Public routes: health, the fleet JWKS, and each number's JWKS, key and history. */
import { Hono, type Context } from 'hono'
import { FlowkeyError } from '../../errors'
import { buildSingleJwks, type JwksDocument } from '../../keys/jwks'
import { normalizePhone } from '../../phone'
import { getOrCreate } from '../../store/cache'
import { readNumber } from '../../store/numbers'
import type { StateRecord } from '../../store/records'
import { readState } from '../../store/state'
import { readWatchlist, watchList, type WatchedNumber, type WatchList } from '../../store/watchlist'
import type { AppEnv, Runtime } from '../context'
import { errorBody } from '../errors'
import { servePublic } from '../public-cache'

/** /healthz turns 503 when no run has completed for this many cron intervals. */
export const STALE_AFTER_INTERVALS = 3

export function publicRoutes(runtime: Runtime): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/healthz', async (c) => {
    c.header('Cache-Control', 'no-store')
    const state = await readState(c.env.KEYS)
    const watched = (await watchedNumbers(c)).numbers
    const lastRun = state.last_run
    const base = { last_run_at: lastRun?.finished_at ?? null, last_run: lastRun, numbers: watched.length, problems: c.var.problems }
    const failure = healthProblem(c, state, watched.length, runtime.now())
    if (failure) return c.json({ ok: false, ...base, ...errorBody(failure.code, failure.message) }, 503)
    return c.json({ ok: true, ...base })
  })

  app.get('/.well-known/jwks.json', async (c) => {
    const state = await readState(c.env.KEYS)
    return servePublic(c, state.jwks.body, state.jwks.etag, 'application/jwk-set+json; charset=utf-8')
  })

  app.get('/v1/numbers/:phone/jwks.json', async (c) => {
    const phone = normalizePhone(c.req.param('phone'))
    const state = await readState(c.env.KEYS)
    await requireWatched(c, phone)
    const doc = singleJwks(state, phone)
    if (!doc) throw noKey(phone)
    return servePublic(c, doc.body, doc.etag, 'application/jwk-set+json; charset=utf-8')
  })

  app.get('/v1/numbers/:phone/key', async (c) => {
    const phone = normalizePhone(c.req.param('phone'))
    await requireWatched(c, phone)
    const [record, state] = await Promise.all([readNumber(c.env.KEYS, phone), readState(c.env.KEYS)])
    const key = record?.current
    if (!key) throw noKey(phone)
    const status = state.numbers[phone]
    const checkedAt = status?.checked_at ?? null
    const etag = `"${key.kid}.${key.signature_status}.${checkedAt ? Date.parse(checkedAt).toString(36) : '0'}"`
    if (prefersPem(c.req.header('Accept'))) {
      return servePublic(c, key.pem, `"${key.kid}.pem"`, 'application/x-pem-file')
    }
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
  })

  app.get('/v1/numbers/:phone/history', async (c) => {
    const phone = normalizePhone(c.req.param('phone'))
    const record = await readNumber(c.env.KEYS, phone)
    // History outlives watching: a number that was removed still shows what happened to it.
    if (!record) await requireWatched(c, phone)
    const events = record?.history ?? []
    return servePublic(c, JSON.stringify({ phone, events }), `"h${record?.event_seq ?? 0}"`)
  })

  return app
}

export async function watchedNumbers(c: Context<AppEnv>): Promise<WatchList> {
  return watchList(c.var.config, await readWatchlist(c.env.KEYS))
}

async function requireWatched(c: Context<AppEnv>, phone: string): Promise<WatchedNumber> {
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
    const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith('q='))?.slice(2) ?? 1)
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
  return getOrCreate(getOrCreate(singleDocs, state, () => new Map()), phone, () => buildSingleJwks(jwk))
}

function healthProblem(c: Context<AppEnv>, state: StateRecord, watched: number, now: number): { code: 'misconfigured' | 'stale' | 'no_check_yet'; message: string } | null {
  const problems = c.var.problems.filter((p) => p.level !== 'warning')
  if (problems.length > 0) return { code: 'misconfigured', message: problems.map((p) => p.message).join('; ') }
  if (watched === 0) return { code: 'misconfigured', message: 'Nothing to watch: set WATCH_NUMBERS or add numbers with PUT /v1/numbers/{phone}' }
  const lastRun = state.last_run
  if (!lastRun) return { code: 'no_check_yet', message: 'No check run has completed yet: wait for the cron trigger or call POST /v1/check' }
  const age = now - Date.parse(lastRun.finished_at)
  const limit = STALE_AFTER_INTERVALS * lastRun.interval_ms
  if (age > limit) {
    return { code: 'stale', message: `No check run has completed for ${Math.round(age / 60_000)} minutes (${STALE_AFTER_INTERVALS} cron intervals are ${Math.round(limit / 60_000)} minutes)` }
  }
  return null
}
