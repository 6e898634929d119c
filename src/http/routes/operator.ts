/** @module Operator routes: status, check now, and the watch list. */
import { Hono } from 'hono'
import { FlowkeyError } from '../../errors'
import { isPod, type PodSetting } from '../../kaleyra/pods'
import { normalizePhone } from '../../phone'
import { isSid } from '../../sid'
import { readState } from '../../store/state'
import { readWatchlist, writeWatchlist } from '../../store/watchlist'
import { forgetNumber } from '../../watch/forget'
import { runCheck } from '../../watch/run-check'
import type { AppEnv, Runtime } from '../context'
import { requireOperator } from '../operator-auth'
import { watchedNumbers } from './public'
import { describeNotifications } from './notifications'

const DEFAULT_PAGE = 100
const MAX_PAGE = 1000

export function operatorRoutes(runtime: Runtime): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use('/v1/status', requireOperator)
  app.use('/v1/check', requireOperator)
  app.use('/v1/numbers', requireOperator)
  app.use('/v1/numbers/:phone', requireOperator)

  app.get('/v1/status', async (c) => {
    const [state, { numbers: watched }] = await Promise.all([readState(c.env.KEYS), watchedNumbers(c)])
    const now = runtime.now()
    const numbers = watched.map((n) => {
      const status = state.numbers[n.phone]
      return {
        phone: n.phone,
        sid: n.sid,
        pod_setting: n.pod,
        source: n.source,
        pod: status?.pod ?? null,
        checked_at: status?.checked_at ?? null,
        outcome: status?.outcome ?? null,
        error: status?.error ?? null,
        consecutive_failures: status?.consecutive_failures ?? 0,
        failing: status?.failing ?? false,
        kid: status?.kid ?? null,
        signature_status: status?.signature_status ?? null,
        fetched_at: status?.fetched_at ?? null,
      }
    })
    c.header('Cache-Control', 'no-store')
    return c.json({
      last_run: state.last_run,
      numbers,
      notifications: describeNotifications(c.var.config, state, now),
      heartbeat: state.heartbeat,
      problems: c.var.problems,
    })
  })

  app.post('/v1/check', async (c) => {
    const query = c.req.query('phone')
    let phone: string | undefined
    if (query !== undefined) {
      // A `+` in a query string arrives as a space unless it was written %2B.
      phone = normalizePhone(query.replace(/^ /, '+'))
      if (!(await watchedNumbers(c)).byPhone.has(phone)) {
        throw new FlowkeyError('unknown_number', `${phone} is not a watched number`)
      }
    }
    const { config, problems } = c.var
    const report = await runCheck(config, problems, {
      kv: c.env.KEYS,
      fetch: runtime.fetch,
      now: runtime.now(),
      log: runtime.log,
      deliver: runtime.deliverFor(config),
    }, { trigger: 'manual', cron: null, phone })
    c.header('Cache-Control', 'no-store')
    return c.json(report)
  })

  app.get('/v1/numbers', async (c) => {
    const rawLimit = c.req.query('limit')
    const limit = rawLimit === undefined ? DEFAULT_PAGE : Number(rawLimit)
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new FlowkeyError('invalid_request', `"limit" must be a whole number from 1 to ${MAX_PAGE}`)
    }
    const cursor = c.req.query('cursor') ?? ''
    const watched = (await watchedNumbers(c)).numbers
    const page = watched.filter((n) => n.phone > cursor).slice(0, limit)
    const more = watched.length > 0 && page.length > 0 && page[page.length - 1].phone < watched[watched.length - 1].phone
    c.header('Cache-Control', 'no-store')
    return c.json({
      numbers: page.map((n) => ({ phone: n.phone, sid: n.sid, pod: n.pod, source: n.source })),
      total: watched.length,
      next_cursor: more ? page[page.length - 1].phone : null,
    })
  })

  app.put('/v1/numbers/:phone', async (c) => {
    const phone = normalizePhone(c.req.param('phone'))
    const body = await readJsonObject(c.req.raw)
    const sid = body.sid ?? c.var.config.sid
    if (!isSid(sid)) {
      throw new FlowkeyError('invalid_request', 'Body needs "sid": the Kaleyra account SID (letters, digits, - or _), unless KALEYRA_SID is set')
    }
    const podValue = body.pod ?? 'auto'
    if (typeof podValue !== 'string' || !(podValue === 'auto' || isPod(podValue))) {
      throw new FlowkeyError('invalid_request', '"pod" must be one of auto, in, sg, eu, na')
    }
    const pod: PodSetting = podValue
    const existed = (await watchedNumbers(c)).byPhone.has(phone)
    const list = await readWatchlist(c.env.KEYS, true)
    list.numbers[phone] = { sid, pod, added_at: new Date(runtime.now()).toISOString() }
    await writeWatchlist(c.env.KEYS, list)
    const warnings: string[] = []
    if (!c.var.config.apiKeysBySid.has(sid) && !c.var.config.defaultApiKey) {
      warnings.push(`No API key for SID ${sid}: set the secret KALEYRA_API_KEY_${sid} (or KALEYRA_API_KEY) or its checks will fail`)
    }
    c.header('Cache-Control', 'no-store')
    return c.json({ phone, sid, pod, source: 'operator', watching: true, warnings }, existed ? 200 : 201)
  })

  app.delete('/v1/numbers/:phone', async (c) => {
    const phone = normalizePhone(c.req.param('phone'))
    if (!(await watchedNumbers(c)).byPhone.has(phone)) {
      throw new FlowkeyError('unknown_number', `${phone} is not a watched number`)
    }
    const list = await readWatchlist(c.env.KEYS, true)
    // A WATCH_NUMBERS entry cannot be edited from here: a null entry hides it.
    if (c.var.config.watchNumbers.includes(phone)) list.numbers[phone] = null
    else delete list.numbers[phone]
    await writeWatchlist(c.env.KEYS, list)
    await forgetNumber(c.env.KEYS, phone)
    c.header('Cache-Control', 'no-store')
    return c.json({ phone, watching: false, history: `/v1/numbers/${encodeURIComponent(phone)}/history` })
  })

  return app
}

async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text()
  if (!text.trim()) return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new FlowkeyError('invalid_request', 'The body is not valid JSON')
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new FlowkeyError('invalid_request', 'The body must be a JSON object')
  return value as Record<string, unknown>
}
