/** @module The channels of each label, read from the environment like the per-SID keys: `SLACK_WEBHOOK_URL_<LABEL>`, `WEBHOOK_URL_<LABEL>` + `WEBHOOK_SECRET_<LABEL>`. */
import { Secret } from '../secret'

export interface LabelChannelConfig {
  /** The label as channel names show it: the variable's `<LABEL>` lower-cased (`slack:acme`). */
  label: string
  /** The `<LABEL>` of the variable names. */
  suffix: string
  slackWebhookUrl: Secret | null
  webhookUrl: string | null
  webhookSecret: Secret | null
}

const SLACK = 'SLACK_WEBHOOK_URL_'
const URL_PREFIX = 'WEBHOOK_URL_'
const SECRET = 'WEBHOOK_SECRET_'
const SUFFIX = /^[A-Z0-9_]{1,32}$/

type Report = (name: string, message: string) => void

/**
 * Every `<LABEL>` that names a channel variable. A URL that does not parse, or a webhook
 * without its own secret, is a problem naming the variable (no fallback to the default secret:
 * one customer's receiver must never verify with another's key).
 */
export function parseLabelChannels(env: Readonly<Record<string, unknown>>, problem: Report): Map<string, LabelChannelConfig> {
  const found = new Map<string, LabelChannelConfig>()
  const entry = (suffix: string): LabelChannelConfig => {
    let config = found.get(suffix)
    if (!config) {
      config = { label: suffix.toLowerCase(), suffix, slackWebhookUrl: null, webhookUrl: null, webhookSecret: null }
      found.set(suffix, config)
    }
    return config
  }
  for (const [name, raw] of Object.entries(env)) {
    const value = typeof raw === 'string' ? raw.trim() : ''
    if (!value) continue
    const [prefix, suffix] = split(name)
    if (!prefix) continue
    if (!SUFFIX.test(suffix)) {
      problem(name, `${name}: the part after ${prefix} must be a label upper-cased, with - written _ (A-Z, 0-9, _; up to 32). Meanwhile it is ignored`)
      continue
    }
    if (prefix === SLACK) {
      if (isHttpUrl(value)) entry(suffix).slackWebhookUrl = new Secret(value)
      else problem(name, `${name} is not an http(s) URL. Meanwhile the label's Slack channel is off`)
    } else if (prefix === URL_PREFIX) {
      if (isHttpUrl(value)) entry(suffix).webhookUrl = value
      else problem(name, `${name} "${value.slice(0, 80)}" is not an http(s) URL. Meanwhile the label's webhook is off`)
    } else entry(suffix).webhookSecret = new Secret(value)
  }
  for (const config of found.values()) {
    if (config.webhookUrl && !config.webhookSecret) {
      problem(
        `${SECRET}${config.suffix}`,
        `${URL_PREFIX}${config.suffix} is set but ${SECRET}${config.suffix} is not, so that webhook is off (the default WEBHOOK_SECRET is never used for a label). Set it with \`npx wrangler secret put ${SECRET}${config.suffix}\` to a value made by \`echo "whsec_$(openssl rand -base64 32)"\`. Meanwhile no event goes to ${URL_PREFIX}${config.suffix}`,
      )
    }
    if (config.webhookSecret && !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(config.webhookSecret.reveal())) {
      problem(
        `${SECRET}${config.suffix}`,
        `${SECRET}${config.suffix} is not whsec_<base64>: make one with \`echo "whsec_$(openssl rand -base64 32)"\`. Meanwhile that label's webhook deliveries cannot be signed and wait in the outbox (see /v1/status)`,
      )
    }
  }
  return found
}

/** The prefix a variable name starts with (the longest: SLACK_WEBHOOK_URL_ before WEBHOOK_URL_), and the rest. */
function split(name: string): [string | null, string] {
  for (const prefix of [SLACK, URL_PREFIX, SECRET]) if (name.startsWith(prefix)) return [prefix, name.slice(prefix.length)]
  return [null, '']
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}
