/** @module Public handlers: health, and the key routes read from the edge documents (the hot path: route, isolate cache, KV, nothing more). */
import type { Context } from 'hono'
import { FlowkeyError } from '../../errors'
import { ledgerOf } from '../../ledger/stub'
import { publicHealth } from '../ledger-reads'
import { settleUpgrade } from '../upgrade-gate'
import { normalizePhone } from '../../phone'
import { getOrCreate } from '../../store/cache'
import { keyCheckTimes, readHistoryDoc, readJwksDoc, readNumberDoc, readRunDoc, type NumberDoc, type RunDoc } from '../../store/edge-docs'
import type { AppEnv, Runtime } from '../context'
import type { Handlers } from '../mount'
import { isOperator } from '../operator-auth'
import { servePublic } from '../public-cache'
import { buildHealth } from '../views/health'

const EMPTY_JWKS = { body: '{"keys":[]}', etag: '"0-empty"' }
const JWKS_TYPE = 'application/jwk-set+json; charset=utf-8'

type PublicHandlers = Pick<Handlers, 'healthz' | 'fleetJwks' | 'numberJwks' | 'numberKey' | 'numberHistory'>

export function publicHandlers(runtime: Runtime): PublicHandlers {
  return {
    healthz: async (c) => {
      const { strict, label } = c.req.valid('query')
      const health = await publicHealth(c.env, runtime.now(), label || null)
      // A number whose source has no credentials is a named problem, as a missing KALEYRA_API_KEY is.
      const { status, body } = buildHealth(health, [...c.var.problems, ...health.problems], {
        strict: strict !== undefined && strict !== '0',
        now: runtime.now(),
        label: label || null,
      })
      c.header('Cache-Control', 'no-store')
      return c.json(body, status)
    },

    fleetJwks: async (c) => {
      const doc = (await readJwksDoc(c.env.KEYS)) ?? (await afterUpgrade(c, () => readJwksDoc(c.env.KEYS))) ?? EMPTY_JWKS
      return servePublic(c, doc.body, doc.etag, JWKS_TYPE)
    },

    numberJwks: async (c) => {
      const phone = normalizePhone(c.req.param('phone') ?? '')
      const doc = await watchedDoc(c, phone)
      if (!doc?.jwks) throw noKey(phone)
      return servePublic(c, doc.jwks.body, doc.jwks.etag, JWKS_TYPE)
    },

    numberKey: async (c) => {
      const phone = normalizePhone(c.req.param('phone') ?? '')
      const doc = await watchedDoc(c, phone)
      const key = doc?.key
      if (!doc || !key) throw noKey(phone)
      // `?format=pem` lets a plain link (the number's page) fetch the PEM. Both checks parse only when
      // the request could ask for it: this is the hot path, and most requests carry neither.
      const accept = c.req.header('Accept')
      const wantsPem = (c.req.url.includes('?') && c.req.query('format') === 'pem') || (accept !== undefined && /pem/i.test(accept) && prefersPem(accept))
      if (wantsPem) return servePublic(c, key.pem, `"${key.kid}.pem"`, 'application/x-pem-file')
      const body = keyBody(doc, await readRunDoc(c.env.KEYS))
      return servePublic(c, body.text, body.etag)
    },

    numberHistory: async (c) => {
      const phone = normalizePhone(c.req.param('phone') ?? '')
      // With the operator token the same route answers whole events, fresh from the ledger.
      if (await isOperator(c)) {
        const events = await ledgerOf(c.env).history(phone)
        if (!events && !(await watchedDoc(c, phone))) throw unknown(phone)
        c.header('Cache-Control', 'no-store')
        return c.json({ phone, events: events ?? [] })
      }
      const doc = await readHistoryDoc(c.env.KEYS, phone)
      // History outlives watching: a number that was removed still shows what happened to it.
      if (doc) return servePublic(c, doc.body, doc.etag)
      await watchedDoc(c, phone)
      return servePublic(c, JSON.stringify({ phone, events: [] }), '"h0"')
    },
  }
}

/** The number's document; unknown_number when it is not watched. A WATCH_NUMBERS number the ledger has not written yet has no key. */
async function watchedDoc(c: Context<AppEnv>, phone: string): Promise<NumberDoc | null> {
  const doc = (await readNumberDoc(c.env.KEYS, phone)) ?? (await afterUpgrade(c, () => readNumberDoc(c.env.KEYS, phone)))
  if (doc) {
    if (!doc.watched) throw unknown(phone)
    return doc
  }
  const { config } = c.var
  if (config.sid && config.watchNumbers.includes(phone)) return null
  throw unknown(phone)
}

/** A document missing at the edge may be one 0.1 left in KV that the ledger has not published yet: read again once it has. */
async function afterUpgrade<T>(c: Context<AppEnv>, read: () => Promise<T | null>): Promise<T | null> {
  return (await settleUpgrade(c.env)) ? read() : null
}

const keyBodies = new WeakMap<NumberDoc, WeakMap<RunDoc | typeof NO_RUN, { text: string; etag: string }>>()
const NO_RUN = {}

/** Built once per (document, run) the isolate holds, so a warm request is a lookup. */
function keyBody(doc: NumberDoc, run: RunDoc | null): { text: string; etag: string } {
  return getOrCreate(
    getOrCreate(keyBodies, doc, () => new WeakMap()),
    run ?? NO_RUN,
    () => {
      const key = doc.key as NonNullable<NumberDoc['key']>
      const times = keyCheckTimes(doc, run)
      const body = {
        phone: doc.phone,
        kid: key.kid,
        jwk: key.jwk,
        pem: key.pem,
        spki_sha256: key.spki_sha256,
        signature_status: key.signature_status,
        source: doc.source ?? key.source ?? 'kaleyra',
        // A pod is Kaleyra's: a key read from another source has none.
        pod: doc.pod ?? (key.pod || null),
        first_seen_at: key.first_seen_at,
        fetched_at: times.fetched_at,
        checked_at: times.checked_at,
      }
      const checked = times.checked_at ? Date.parse(times.checked_at).toString(36) : '0'
      return { text: JSON.stringify(body), etag: `"${key.kid}.${key.signature_status}.${checked}"` }
    },
  )
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

function unknown(phone: string): FlowkeyError {
  return new FlowkeyError('unknown_number', `${phone} is not a watched number`)
}
