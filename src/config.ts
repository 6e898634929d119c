/** @module Turns the Worker's env into one typed Config, once, with a clear sentence for every problem. */
import type { Env } from './env'
import { POD_BASE_URLS, isPod, type Pod, type PodSetting } from './kaleyra/pods'
import { normalizePhone } from './phone'
import { parseFlowEndpoints } from './probe/endpoint-config'
import { Secret } from './secret'
import { createRedactor, urlParts, webhookSecretParts, type Redact } from './secrets/redact'
import { SID_RULE, isSid } from './sid'

export const DEFAULT_FAILING_AFTER = 3
export const DEFAULT_KALEYRA_TIMEOUT_MS = 10_000
/** Numbers per CHECKS message: 40 look-ups and the ledger's calls fit the free plan's 50 subrequests. */
export const DEFAULT_CHECK_BATCH_SIZE = 40
export const DEFAULT_PROBE_TIMEOUT_MS = 10_000
const API_KEY_PREFIX = 'KALEYRA_API_KEY_'
const APP_SECRET_PREFIX = 'META_APP_SECRET_'

export interface Config {
  sid: string | null
  /** Numbers from WATCH_NUMBERS, canonical E.164; operator-added numbers live in KV. */
  watchNumbers: string[]
  pod: PodSetting
  /** Null when KALEYRA_POD_URLS is set but unusable: then no pod is asked at all, least of all a real one. */
  podUrls: Record<Pod, string> | null
  defaultApiKey: Secret | null
  /** `KALEYRA_API_KEY_<SID>` secrets, by SID. */
  apiKeysBySid: Map<string, Secret>
  slackWebhookUrl: Secret | null
  webhookUrl: string | null
  webhookSecret: Secret | null
  adminToken: Secret | null
  failingAfter: number
  heartbeatUrl: string | null
  kaleyraTimeoutMs: number
  /** Numbers per CHECKS queue message. */
  checkBatchSize: number
  /** How long a Flow endpoint may take to answer a probe (WhatsApp's own limit is 10 s). */
  probeTimeoutMs: number
  /** FLOW_ENDPOINTS: WATCH_NUMBERS number to its Flow endpoint URL (query included: show it only through displayEndpointUrl). */
  flowEndpoints: Map<string, string>
  defaultAppSecret: Secret | null
  /** `META_APP_SECRET_<SID>` secrets, by SID. */
  appSecretsBySid: Map<string, Secret>
  /** Every configured secret (API keys, Slack URL, webhook secret, admin token, Meta app secrets). */
  secrets: Secret[]
  /** Removes every one of `secrets`, in every spelling, from text that came from outside. */
  redact: Redact
}

export interface ConfigProblem {
  name: string
  message: string
}

export interface ParsedConfig {
  config: Config
  /** Empty when the configuration is good. Never contains a secret's value. */
  problems: ConfigProblem[]
}

const parsed = new WeakMap<object, ParsedConfig>()

/** Parses env once per env object: Workers hand the same object to every request of an isolate. */
export function getConfig(env: Env): ParsedConfig {
  let result = parsed.get(env)
  if (!result) {
    result = parseConfig(env)
    parsed.set(env, result)
  }
  return result
}

export function parseConfig(env: Env): ParsedConfig {
  const problems: ConfigProblem[] = []
  const problem = (name: string, message: string): void => {
    problems.push({ name, message })
  }

  const sid = parseSid(env.KALEYRA_SID, problem)
  const watchNumbers = parseNumbers(env.WATCH_NUMBERS, problem)
  if (watchNumbers.length > 0 && !sid) problem('KALEYRA_SID', 'KALEYRA_SID is required to check WATCH_NUMBERS')

  const defaultApiKey = secret(env.KALEYRA_API_KEY)
  const apiKeysBySid = new Map<string, Secret>()
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(API_KEY_PREFIX) && typeof value === 'string' && value.trim()) {
      apiKeysBySid.set(name.slice(API_KEY_PREFIX.length), new Secret(value.trim()))
    }
  }
  if (sid && !defaultApiKey && !apiKeysBySid.has(sid)) {
    problem('KALEYRA_API_KEY', 'KALEYRA_API_KEY is not set: add it with `wrangler secret put KALEYRA_API_KEY`')
  }

  const appSecretsBySid = secretsByPrefix(env, APP_SECRET_PREFIX)
  const flowEndpoints = parseFlowEndpoints(env.FLOW_ENDPOINTS, watchNumbers)
  problems.push(...flowEndpoints.problems)

  const podSetting = (text(env.KALEYRA_POD) ?? 'auto').toLowerCase()
  let pod: PodSetting = 'auto'
  if (podSetting === 'auto' || isPod(podSetting)) pod = podSetting
  else problem('KALEYRA_POD', `KALEYRA_POD "${podSetting}" is not one of in, sg, eu, na, auto`)

  const webhookUrl = parseUrl('WEBHOOK_URL', env.WEBHOOK_URL, problem)
  const webhookSecret = secret(env.WEBHOOK_SECRET)
  if (webhookUrl && !webhookSecret) problem('WEBHOOK_SECRET', 'WEBHOOK_URL is set but WEBHOOK_SECRET is not: events cannot be signed')
  if (webhookSecret && !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(webhookSecret.reveal())) {
    problem('WEBHOOK_SECRET', 'WEBHOOK_SECRET must look like whsec_<base64>')
  }
  const slack = secret(env.SLACK_WEBHOOK_URL)
  if (slack) parseUrl('SLACK_WEBHOOK_URL', slack.reveal(), problem, true)
  const adminToken = secret(env.ADMIN_TOKEN)
  const defaultAppSecret = secret(env.META_APP_SECRET)
  const secrets = [defaultApiKey, ...apiKeysBySid.values(), slack, webhookSecret, adminToken, defaultAppSecret, ...appSecretsBySid.values()].filter(
    (s): s is Secret => s !== null,
  )
  const parts = [...(slack ? urlParts(slack.reveal()) : []), ...(webhookSecret ? webhookSecretParts(webhookSecret.reveal()) : [])]

  return {
    config: {
      sid,
      watchNumbers,
      pod,
      podUrls: parsePodUrls(env.KALEYRA_POD_URLS, problem),
      defaultApiKey,
      apiKeysBySid,
      slackWebhookUrl: slack,
      webhookUrl,
      webhookSecret,
      adminToken,
      failingAfter: parsePositiveInt('FAILING_AFTER', env.FAILING_AFTER, DEFAULT_FAILING_AFTER, problem),
      heartbeatUrl: parseUrl('HEARTBEAT_URL', env.HEARTBEAT_URL, problem),
      kaleyraTimeoutMs: parsePositiveInt('KALEYRA_TIMEOUT_MS', env.KALEYRA_TIMEOUT_MS, DEFAULT_KALEYRA_TIMEOUT_MS, problem),
      checkBatchSize: parsePositiveInt('CHECK_BATCH_SIZE', env.CHECK_BATCH_SIZE, DEFAULT_CHECK_BATCH_SIZE, problem),
      probeTimeoutMs: parsePositiveInt('PROBE_TIMEOUT_MS', env.PROBE_TIMEOUT_MS, DEFAULT_PROBE_TIMEOUT_MS, problem),
      flowEndpoints: flowEndpoints.endpoints,
      defaultAppSecret,
      appSecretsBySid,
      secrets,
      redact: createRedactor(secrets.map((s) => s.reveal()), parts),
    },
    problems,
  }
}

/** The API key for a SID: `KALEYRA_API_KEY_<SID>`, falling back to `KALEYRA_API_KEY`. */
export function apiKeyFor(config: Config, sid: string): Secret | null {
  return config.apiKeysBySid.get(sid) ?? config.defaultApiKey
}

/** The Meta app secret that signs a SID's probes: `META_APP_SECRET_<SID>`, falling back to `META_APP_SECRET`. */
export function appSecretFor(config: Config, sid: string): Secret | null {
  return config.appSecretsBySid.get(sid) ?? config.defaultAppSecret
}

/** `<PREFIX><SID>` secrets, by SID; blank values count as unset. */
function secretsByPrefix(env: Env, prefix: string): Map<string, Secret> {
  const found = new Map<string, Secret>()
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(prefix) && name.length > prefix.length && typeof value === 'string' && value.trim()) {
      found.set(name.slice(prefix.length), new Secret(value.trim()))
    }
  }
  return found
}

type Report = (name: string, message: string) => void

/** The SID is a path segment of every Kaleyra request: one that is not a plain SID (`..`, `/`) is refused, not sent. */
function parseSid(value: string | undefined, problem: Report): string | null {
  const sid = text(value)
  if (sid === null || isSid(sid)) return sid
  problem('KALEYRA_SID', `KALEYRA_SID "${(value ?? '').trim().slice(0, 40)}" is not a Kaleyra SID (${SID_RULE}): no number is checked with it`)
  return null
}

function text(value: string | undefined): string | null {
  const trimmed = typeof value === 'string' ? value.trim() : ''
  return trimmed ? trimmed : null
}

function secret(value: string | undefined): Secret | null {
  const trimmed = text(value)
  return trimmed ? new Secret(trimmed) : null
}

function parseNumbers(value: string | undefined, problem: Report): string[] {
  const numbers = new Set<string>()
  for (const item of (value ?? '').split(',')) {
    if (!item.trim()) continue
    try {
      numbers.add(normalizePhone(item.trim()))
    } catch {
      problem('WATCH_NUMBERS', `WATCH_NUMBERS entry "${item.trim().slice(0, 40)}" is not an E.164 number`)
    }
  }
  return [...numbers]
}

/**
 * Fails closed: a KALEYRA_POD_URLS that is set but unusable gives null, which stops every
 * check, because falling back to the real pods would send a test setup's key to Kaleyra.
 */
function parsePodUrls(value: string | undefined, problem: Report): Record<Pod, string> | null {
  const urls: Record<Pod, string> = { ...POD_BASE_URLS }
  const raw = text(value)
  if (!raw) return urls
  const stop = ' No Kaleyra pod is asked until it is fixed.'
  let overrides: unknown
  try {
    overrides = JSON.parse(raw)
  } catch {
    problem('KALEYRA_POD_URLS', `KALEYRA_POD_URLS is not valid JSON: expected an object such as {"in":"http://127.0.0.1:9001"}.${stop}`)
    return null
  }
  if (!overrides || typeof overrides !== 'object' || Array.isArray(overrides)) {
    problem('KALEYRA_POD_URLS', `KALEYRA_POD_URLS must be a JSON object of pod name to base URL.${stop}`)
    return null
  }
  let usable = true
  for (const [name, base] of Object.entries(overrides)) {
    if (!isPod(name)) {
      problem('KALEYRA_POD_URLS', `KALEYRA_POD_URLS names an unknown pod "${name.slice(0, 20)}" (known: in, sg, eu, na).${stop}`)
      usable = false
    } else if (typeof base !== 'string' || !isHttpUrl(base)) {
      problem('KALEYRA_POD_URLS', `KALEYRA_POD_URLS.${name} must be an absolute http(s) URL.${stop}`)
      usable = false
    } else {
      urls[name] = trimTrailingSlashes(base.trim())
    }
  }
  return usable ? urls : null
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.trim())
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}

/** A loop, not `/\/+$/`: that regex retries from every slash and goes quadratic on a long run of them. */
function trimTrailingSlashes(value: string): string {
  let end = value.length
  while (end > 0 && value.charCodeAt(end - 1) === 47) end--
  return value.slice(0, end)
}

function parseUrl(name: string, value: string | undefined, problem: Report, hideValue = false): string | null {
  const raw = text(value)
  if (!raw) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    problem(name, hideValue ? `${name} is not a URL` : `${name} "${raw.slice(0, 80)}" is not a URL`)
    return null
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problem(name, `${name} must be an http(s) URL`)
    return null
  }
  return raw
}

function parsePositiveInt(name: string, value: string | undefined, fallback: number, problem: Report): number {
  const raw = text(value)
  if (raw === null) return fallback
  const number = Number(raw)
  if (!Number.isInteger(number) || number < 1) {
    problem(name, `${name} "${raw.slice(0, 20)}" must be a whole number of at least 1; using ${fallback}`)
    return fallback
  }
  return number
}
