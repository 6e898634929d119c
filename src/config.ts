/** @module Turns the Worker's env into one typed Config, once, with a clear sentence for every problem. */
import type { Env } from './env'
import { POD_BASE_URLS, isPod, type Pod, type PodSetting } from './sources/kaleyra/pods'
import { normalizePhone } from './phone'
import { parseAllowPrivateEndpoints, parseFlowEndpoints } from './probe/endpoint-config'
import { parseLabelChannels, type LabelChannelConfig } from './notify/label-channels'
import { Secret } from './secret'
import { createRedactor, urlParts, webhookSecretParts, type Redact } from './secrets/redact'
import { SID_RULE, isSid } from './sid'
import { parseSourceSettings, type SourceSettings } from './sources/settings'

export const DEFAULT_FAILING_AFTER = 3
export const DEFAULT_KALEYRA_TIMEOUT_MS = 10_000
/** Numbers per CHECKS message: 40 look-ups and the ledger's calls fit the free plan's 50 subrequests. */
export const DEFAULT_CHECK_BATCH_SIZE = 40
/** The free plan allows 50 subrequests per invocation; a batch above this leaves too little room for retries and deliveries. */
export const FREE_PLAN_BATCH_LIMIT = 45
const NUMBERS_FORMAT = 'comma-separated E.164, no spaces: WATCH_NUMBERS="+919876543210,+14155550100"'
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
  /** Each label's own channels, by the `<LABEL>` of their variables. */
  labelChannels: Map<string, LabelChannelConfig>
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
  /** ALLOW_PRIVATE_ENDPOINTS: Flow endpoints may name loopback and private hosts (local use only). */
  allowPrivateEndpoints: boolean
  defaultAppSecret: Secret | null
  /** `META_APP_SECRET_<SID>` secrets, by SID. */
  appSecretsBySid: Map<string, Secret>
  /** Meta, 360dialog and AWS: their URLs, version and every credential by name. */
  sources: SourceSettings
  /** Every configured secret (API keys, Slack URL, webhook secret, admin token, Meta app secrets, every source's credentials). */
  secrets: Secret[]
  /** Removes every one of `secrets`, in every spelling, from text that came from outside. */
  redact: Redact
}

export interface ConfigProblem {
  name: string
  /** What is wrong, the exact fix, and what flowkey does meanwhile. */
  message: string
  /** A warning does not stop anything (and does not turn /healthz 503); absent means an error. */
  level?: 'warning'
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
  const adminToken = secret(env.ADMIN_TOKEN)
  // Without ADMIN_TOKEN no number can be added through the operator routes, so an empty WATCH_NUMBERS watches nothing.
  const nothingToWatch = watchNumbers.length === 0 && !adminToken
  if (!sid && watchNumbers.length > 0) {
    problem(
      'KALEYRA_SID',
      `KALEYRA_SID is not set, so the ${watchNumbers.length} number(s) of WATCH_NUMBERS cannot be checked: set KALEYRA_SID to your Kaleyra account SID (console: "View API Key and SID"). Meanwhile they are not checked and no key is served for them`,
    )
  } else if (!sid && nothingToWatch) {
    problem('KALEYRA_SID', 'KALEYRA_SID is not set: set it to your Kaleyra account SID (console: "View API Key and SID"). Meanwhile nothing is checked')
  }

  const defaultApiKey = secret(env.KALEYRA_API_KEY)
  const apiKeysBySid = new Map<string, Secret>()
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(API_KEY_PREFIX) && typeof value === 'string' && value.trim()) {
      apiKeysBySid.set(name.slice(API_KEY_PREFIX.length), new Secret(value.trim()))
    }
  }
  if (!defaultApiKey && (sid ? !apiKeysBySid.has(sid) : apiKeysBySid.size === 0 && (watchNumbers.length > 0 || nothingToWatch))) {
    problem(
      'KALEYRA_API_KEY',
      'KALEYRA_API_KEY is not set: add it with `npx wrangler secret put KALEYRA_API_KEY` (locally, a line in .dev.vars). Meanwhile every check fails with misconfigured and the last good key stays served',
    )
  }
  if (nothingToWatch) {
    problem(
      'ADMIN_TOKEN',
      'ADMIN_TOKEN is not set, so no number can be added through the operator routes (they answer 401): set it with `npx wrangler secret put ADMIN_TOKEN` (locally, a line in .dev.vars) if you add numbers that way. Meanwhile the operator routes answer 401 and the public routes work',
    )
    problem(
      'WATCH_NUMBERS',
      `Nothing to watch: WATCH_NUMBERS is empty and no number can be added without ADMIN_TOKEN. Set WATCH_NUMBERS, ${NUMBERS_FORMAT}, or set ADMIN_TOKEN and add numbers with PUT /v1/numbers/{phone}. Meanwhile flowkey checks nothing`,
    )
  }

  const appSecretsBySid = secretsByPrefix(env, APP_SECRET_PREFIX)
  const allowPrivateEndpoints = parseAllowPrivateEndpoints(env.ALLOW_PRIVATE_ENDPOINTS, problems)
  const flowEndpoints = parseFlowEndpoints(env.FLOW_ENDPOINTS, watchNumbers, allowPrivateEndpoints)
  problems.push(...flowEndpoints.problems)

  const podSetting = (text(env.KALEYRA_POD) ?? 'auto').toLowerCase()
  let pod: PodSetting = 'auto'
  if (podSetting === 'auto' || isPod(podSetting)) pod = podSetting
  else
    problem(
      'KALEYRA_POD',
      `KALEYRA_POD "${podSetting.slice(0, 20)}" is not a pod: set it to in, sg, eu, na or auto. Meanwhile flowkey uses auto (the pod that answered last, then in, sg, eu, na)`,
    )

  const webhookUrl = parseUrl('WEBHOOK_URL', env.WEBHOOK_URL, problem)
  const webhookSecret = secret(env.WEBHOOK_SECRET)
  if (webhookUrl && !webhookSecret) {
    problem(
      'WEBHOOK_SECRET',
      'WEBHOOK_URL is set but WEBHOOK_SECRET is not, so the webhook is off: events cannot be signed. Set it with `npx wrangler secret put WEBHOOK_SECRET` to a value made by `echo "whsec_$(openssl rand -base64 32)"`. Meanwhile no event goes to WEBHOOK_URL; Slack, if set, still gets them',
    )
  }
  if (webhookSecret && !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(webhookSecret.reveal())) {
    problem(
      'WEBHOOK_SECRET',
      'WEBHOOK_SECRET is not whsec_<base64>: make one with `echo "whsec_$(openssl rand -base64 32)"` and set it with `npx wrangler secret put WEBHOOK_SECRET`. Meanwhile webhook deliveries cannot be signed and wait in the outbox (see /v1/status)',
    )
  }
  const slack = secret(env.SLACK_WEBHOOK_URL)
  if (slack) parseUrl('SLACK_WEBHOOK_URL', slack.reveal(), problem, true)
  const defaultAppSecret = secret(env.META_APP_SECRET)
  const sources = parseSourceSettings(Object.fromEntries(Object.entries(env)))
  for (const p of sources.problems) problem(p.name, p.message)
  const labelChannels = parseLabelChannels(env as unknown as Record<string, unknown>, problem)
  const labelSlack = [...labelChannels.values()].map((l) => l.slackWebhookUrl)
  const labelSecrets = [...labelChannels.values()].map((l) => l.webhookSecret)
  const secrets = [
    defaultApiKey,
    ...apiKeysBySid.values(),
    slack,
    webhookSecret,
    adminToken,
    defaultAppSecret,
    ...appSecretsBySid.values(),
    ...sources.settings.secrets.values(),
    ...labelSlack,
    ...labelSecrets,
  ].filter((s): s is Secret => s !== null)
  const parts = [
    ...[slack, ...labelSlack].flatMap((s) => (s ? urlParts(s.reveal()) : [])),
    ...[webhookSecret, ...labelSecrets].flatMap((s) => (s ? webhookSecretParts(s.reveal()) : [])),
  ]

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
      labelChannels,
      adminToken,
      failingAfter: parsePositiveInt('FAILING_AFTER', env.FAILING_AFTER, DEFAULT_FAILING_AFTER, problem),
      heartbeatUrl: parseUrl('HEARTBEAT_URL', env.HEARTBEAT_URL, problem),
      kaleyraTimeoutMs: parsePositiveInt('KALEYRA_TIMEOUT_MS', env.KALEYRA_TIMEOUT_MS, DEFAULT_KALEYRA_TIMEOUT_MS, problem),
      checkBatchSize: parseCheckBatchSize(env.CHECK_BATCH_SIZE, problem, problems),
      probeTimeoutMs: parsePositiveInt('PROBE_TIMEOUT_MS', env.PROBE_TIMEOUT_MS, DEFAULT_PROBE_TIMEOUT_MS, problem),
      flowEndpoints: flowEndpoints.endpoints,
      allowPrivateEndpoints,
      defaultAppSecret,
      appSecretsBySid,
      sources: sources.settings,
      secrets,
      redact: createRedactor(
        secrets.map((s) => s.reveal()),
        parts,
      ),
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
      problem(
        'WATCH_NUMBERS',
        `WATCH_NUMBERS entry "${item.trim().slice(0, 40)}" is not a phone number: write ${NUMBERS_FORMAT}. Meanwhile this entry is skipped and the others are checked`,
      )
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

/** Like any positive integer, plus a warning past what one invocation of the free plan can check. */
function parseCheckBatchSize(value: string | undefined, problem: Report, problems: ConfigProblem[]): number {
  const size = parsePositiveInt('CHECK_BATCH_SIZE', value, DEFAULT_CHECK_BATCH_SIZE, problem)
  if (size > FREE_PLAN_BATCH_LIMIT) {
    problems.push({
      name: 'CHECK_BATCH_SIZE',
      level: 'warning',
      message: `CHECK_BATCH_SIZE is ${size}: one queue message then needs more than the free plan's 50 subrequests per invocation (a request per number, plus retries and notifications). On the free plan set CHECK_BATCH_SIZE to ${DEFAULT_CHECK_BATCH_SIZE} (at most ${FREE_PLAN_BATCH_LIMIT}); on a paid plan (1,000 subrequests) ignore this. Meanwhile numbers past the budget fail their check and keep their last good key`,
    })
  }
  return size
}

function parsePositiveInt(name: string, value: string | undefined, fallback: number, problem: Report): number {
  const raw = text(value)
  if (raw === null) return fallback
  const number = Number(raw)
  if (!Number.isInteger(number) || number < 1) {
    problem(name, `${name} "${raw.slice(0, 20)}" is not a whole number of at least 1: set it to one, e.g. ${fallback}. Meanwhile flowkey uses ${fallback}`)
    return fallback
  }
  return number
}
