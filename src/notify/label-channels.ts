/** @module The channels of each label, read from the environment like the per-SID keys: `SLACK_WEBHOOK_URL_<LABEL>`, `WEBHOOK_URL_<LABEL>` + `WEBHOOK_SECRET_<LABEL>`. */
import { Secret } from '../secret'

export interface LabelChannelConfig {
  /** The label as channel names show it: the variables' `<LABEL>` lower-cased (`slack:acme`). */
  label: string
  slackWebhookUrl: Secret | null
  webhookUrl: string | null
  webhookSecret: Secret | null
}

const PREFIXES = ['SLACK_WEBHOOK_URL_', 'WEBHOOK_URL_', 'WEBHOOK_SECRET_'] as const

type Report = (name: string, message: string) => void

/**
 * Every `<LABEL>` that names a channel variable, by `<LABEL>`. A URL that does not parse, or a
 * webhook without its own secret, is a problem naming the variable: no fallback to the default
 * secret, since one customer's receiver must never verify with another's key.
 */
export function parseLabelChannels(env: Readonly<Record<string, unknown>>, problem: Report): Map<string, LabelChannelConfig> {
  const found = new Map<string, LabelChannelConfig>()
  for (const [name, raw] of Object.entries(env)) {
    const value = typeof raw === 'string' ? raw.trim() : ''
    const prefix = PREFIXES.find((p) => name.startsWith(p))
    if (!prefix || !value) continue
    const suffix = name.slice(prefix.length)
    if (!/^[A-Z0-9_]{1,32}$/.test(suffix)) {
      problem(name, `${name}: after ${prefix} comes the label upper-cased, - written _. Meanwhile it is ignored`)
      continue
    }
    let config = found.get(suffix)
    if (!config) found.set(suffix, (config = { label: suffix.toLowerCase(), slackWebhookUrl: null, webhookUrl: null, webhookSecret: null }))
    if (prefix === 'WEBHOOK_SECRET_') config.webhookSecret = new Secret(value)
    else if (!/^https?:\/\/[^/\s]+\S*$/.test(value)) problem(name, `${name} is not an http(s) URL. Meanwhile that channel is off`)
    else if (prefix === 'WEBHOOK_URL_') config.webhookUrl = value
    else config.slackWebhookUrl = new Secret(value)
  }
  for (const [suffix, config] of found) {
    const secret = `WEBHOOK_SECRET_${suffix}`
    if (config.webhookUrl && !config.webhookSecret) {
      problem(secret, `WEBHOOK_URL_${suffix} is set but ${secret} is not, so that webhook is off: set it with \`npx wrangler secret put ${secret}\``)
    } else if (config.webhookSecret && !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(config.webhookSecret.reveal())) {
      problem(secret, `${secret} is not whsec_<base64>: make one with \`echo "whsec_$(openssl rand -base64 32)"\``)
    }
  }
  return found
}
