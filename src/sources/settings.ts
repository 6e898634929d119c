/** @module The settings of the Meta, 360dialog and AWS sources, parsed from plain strings once, and each number's credentials found by name. */
import { Secret } from '../secret'
import type { SourceName } from './source'

export const DEFAULT_META_GRAPH_URL = 'https://graph.facebook.com'
export const DEFAULT_META_GRAPH_VERSION = 'v25.0'
export const DEFAULT_D360_API_URL = 'https://waba-v2.360dialog.io'

/** The secrets each source reads, by base name; `<NAME>_<ACCOUNT>` comes first, the bare name after. */
export const SOURCE_SECRETS = ['META_ACCESS_TOKEN', 'D360_API_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const
type SecretName = (typeof SOURCE_SECRETS)[number]

export interface SourceSettings {
  metaGraphUrl: string
  metaGraphVersion: string
  d360ApiUrl: string
  /** AWS_ENDPOINT_URL_SOCIALMESSAGING; null: `https://social-messaging.<region>.amazonaws.com`. */
  awsEndpointUrl: string | null
  /** Every `<NAME>` and `<NAME>_<ACCOUNT>` secret set, by its full name. */
  secrets: ReadonlyMap<string, Secret>
}

export interface SettingProblem {
  name: string
  message: string
}

/** Vars are checked like the others (an http(s) URL, a `vNN.N` version); secrets are only collected. */
export function parseSourceSettings(env: Readonly<Record<string, unknown>>): { settings: SourceSettings; problems: SettingProblem[] } {
  const problems: SettingProblem[] = []
  const url = (name: string, fallback: string | null): string | null => {
    const raw = text(env[name])
    if (raw === null) return fallback
    if (!/^https?:\/\/[^\s/]+/i.test(raw) || !isUrl(raw)) {
      problems.push({
        name,
        message: `${name} "${raw.slice(0, 80)}" is not an http(s) URL: set it to a base such as ${fallback ?? 'https://…'}. Meanwhile flowkey uses ${fallback ?? 'the default'}`,
      })
      return fallback
    }
    let end = raw.length
    while (end > 0 && raw.charCodeAt(end - 1) === 47) end--
    return raw.slice(0, end)
  }
  let version = text(env.META_GRAPH_VERSION) ?? DEFAULT_META_GRAPH_VERSION
  if (!/^v\d{1,3}\.\d{1,3}$/.test(version)) {
    problems.push({
      name: 'META_GRAPH_VERSION',
      message: `META_GRAPH_VERSION "${version.slice(0, 20)}" is not a Graph API version such as ${DEFAULT_META_GRAPH_VERSION}. Meanwhile flowkey uses ${DEFAULT_META_GRAPH_VERSION}`,
    })
    version = DEFAULT_META_GRAPH_VERSION
  }
  const secrets = new Map<string, Secret>()
  for (const [name, value] of Object.entries(env)) {
    const base = SOURCE_SECRETS.find((s) => name === s || name.startsWith(`${s}_`))
    const given = text(value)
    if (base && given) secrets.set(name, new Secret(given))
  }
  return {
    settings: {
      metaGraphUrl: url('META_GRAPH_URL', DEFAULT_META_GRAPH_URL) ?? DEFAULT_META_GRAPH_URL,
      metaGraphVersion: version,
      d360ApiUrl: url('D360_API_URL', DEFAULT_D360_API_URL) ?? DEFAULT_D360_API_URL,
      awsEndpointUrl: url('AWS_ENDPOINT_URL_SOCIALMESSAGING', null),
      secrets,
    },
    problems,
  }
}

/** A number's `account` as secret names spell it: upper-cased (INTERFACE.md). */
export const accountSuffix = (account: string): string => account.toUpperCase()

/** `<NAME>_<ACCOUNT>`, else `<NAME>`; `looked` is the name tried first, for the problem that names it. */
export function secretFor(settings: SourceSettings, name: SecretName, account: string | null): { secret: Secret | null; looked: string; name: string | null } {
  const own = account ? `${name}_${accountSuffix(account)}` : name
  const found = settings.secrets.has(own) ? own : settings.secrets.has(name) ? name : null
  return { secret: found === null ? null : (settings.secrets.get(found) ?? null), looked: own, name: found }
}

/** The secret a source needs first, by name: what /healthz names when it is missing. */
export const FIRST_SECRET: Readonly<Record<Exclude<SourceName, 'kaleyra'>, SecretName>> = {
  meta: 'META_ACCESS_TOKEN',
  '360dialog': 'D360_API_KEY',
  aws: 'AWS_ACCESS_KEY_ID',
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null
}

function isUrl(value: string): boolean {
  try {
    return Boolean(new URL(value))
  } catch {
    return false
  }
}
