/** @module Which channels an event goes to, decided once when it enters the outbox (pure): the defaults, and the channels of the number's own labels. */
import { labelEnvSuffix } from '../labels/labels'
import type { ChannelKind, ChannelName } from './outbox'

/** The channel name of a label's channel: `slack:acme`, `webhook:acme` (the label as its variables spell it, lower-cased). */
export function labelChannelName(kind: ChannelKind, label: string): ChannelName {
  return `${kind}:${labelEnvSuffix(label).toLowerCase()}`
}

/** The label part of a channel name; null for a default channel. */
export function channelLabel(name: ChannelName): string | null {
  const at = name.indexOf(':')
  return at < 0 ? null : name.slice(at + 1)
}

/**
 * An event of a number with these labels, among the configured channels: every default
 * channel, and a label's channels only when the number carries that label, so a
 * customer's channel never hears of another customer's number. A muted number's
 * events go nowhere (they stay in its history).
 */
export function routeEvent(labels: readonly string[], configured: readonly ChannelName[], muted = false): ChannelName[] {
  if (muted) return []
  const own = new Set(labels.map((label) => labelEnvSuffix(label).toLowerCase()))
  return configured.filter((name) => {
    const label = channelLabel(name)
    return label === null || own.has(label)
  })
}

/** The variable that configures a channel, for messages: `WEBHOOK_URL`, `SLACK_WEBHOOK_URL_ACME`. */
export function channelSetting(name: ChannelName): string {
  const label = channelLabel(name)
  const base = name.startsWith('webhook') ? 'WEBHOOK_URL' : 'SLACK_WEBHOOK_URL'
  return label === null ? base : `${base}_${label.toUpperCase()}`
}
