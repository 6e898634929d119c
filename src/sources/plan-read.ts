/** @module From a number's source fields and the configured credentials: the read to make (any source but Kaleyra), or the secret that is missing. */
import { awsSource } from './aws/adapter'
import { d360Source } from './d360/adapter'
import { metaSource } from './meta/adapter'
import { readKey, type ReadOptions } from './read-key'
import { secretFor, type SourceSettings } from './settings'
import { SOURCE_INFO, type KeyAnswer, type SourceFields } from './source'

export type PlannedRead =
  | {
      /** Names the host in the circuit breaker's sentence, and keys its circuit. */
      host: string
      read: (options: ReadOptions) => Promise<KeyAnswer>
    }
  | {
      /** The secret looked for first (what /healthz names), and the one looked for after it, if any. */
      missing: string
      fallback: string | null
      message: string
    }

/** 360dialog's `account` defaults to the number's digits: one key per number is the rule there. */
export function d360Account(phone: string, account: string | null): string {
  return account ?? phone.replace(/^\+/, '')
}

export function planRead(settings: SourceSettings, phone: string, n: SourceFields): PlannedRead {
  const words = SOURCE_INFO[n.source].words
  const missing = (looked: string, fallback: string): PlannedRead => {
    const also = looked === fallback ? null : fallback
    return {
      missing: looked,
      fallback: also,
      message: `No credentials for ${phone} on ${words}: set the secret ${looked}${also ? ` (or ${also})` : ''}. Meanwhile the number is not asked and its last good key stays served`,
    }
  }
  switch (n.source) {
    case 'meta': {
      const { secret, looked } = secretFor(settings, 'META_ACCESS_TOKEN', n.account)
      if (!secret) return missing(looked, 'META_ACCESS_TOKEN')
      const target = { base: settings.metaGraphUrl, version: settings.metaGraphVersion, phoneNumberId: n.phone_number_id ?? '', token: secret }
      return { host: `${words} at ${hostOf(settings.metaGraphUrl)}`, read: (options) => readKey(metaSource, target, options) }
    }
    case '360dialog': {
      const account = d360Account(phone, n.account)
      const { secret, looked } = secretFor(settings, 'D360_API_KEY', account)
      if (!secret) return missing(looked, 'D360_API_KEY')
      const target = { base: settings.d360ApiUrl, apiKey: secret }
      return { host: `${words} at ${hostOf(settings.d360ApiUrl)}`, read: (options) => readKey(d360Source, target, options) }
    }
    case 'aws': {
      const id = secretFor(settings, 'AWS_ACCESS_KEY_ID', n.account)
      const key = secretFor(settings, 'AWS_SECRET_ACCESS_KEY', n.account)
      if (!id.secret) return missing(id.looked, 'AWS_ACCESS_KEY_ID')
      if (!key.secret) return missing(key.looked, 'AWS_SECRET_ACCESS_KEY')
      const region = n.region ?? ''
      const target = {
        endpoint: settings.awsEndpointUrl,
        region,
        phoneNumberId: n.phone_number_id ?? '',
        accessKeyId: id.secret,
        secretAccessKey: key.secret,
        // Temporary keys come with their own token: an account's keys never borrow the default token.
        sessionToken:
          settings.secrets.get(id.name === 'AWS_ACCESS_KEY_ID' ? 'AWS_SESSION_TOKEN' : id.looked.replace('AWS_ACCESS_KEY_ID', 'AWS_SESSION_TOKEN')) ?? null,
      }
      const host = settings.awsEndpointUrl ? hostOf(settings.awsEndpointUrl) : `social-messaging.${region}.amazonaws.com`
      return { host: `${words} at ${host}`, read: (options) => readKey(awsSource, target, options) }
    }
    case 'kaleyra':
      throw new TypeError('Kaleyra numbers are read per pod (watch/observe.ts)')
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
