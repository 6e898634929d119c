/** @module POST /v1/notify/test: one `ping` to every configured channel (the defaults and each label's), straight away, bypassing the outbox. */
import type { Config } from '../config'
import { configuredChannels } from './channels'
import type { Logger } from '../log'
import { CHANNELS, type ChannelName } from './outbox'
import { DELIVERY_TIMEOUT_MS } from './send'

export interface PingResult {
  configured: boolean
  ok: boolean
  /** The receiver's HTTP status; null when it could not be reached or the channel is not configured. */
  status: number | null
  error: string | null
  /** The ping's `webhook-id` (and Slack's, for the log). */
  event_id: string | null
}

/** Sent once, not retried and not recorded: its answer goes back to the operator who asked. */
export interface PingIo {
  fetch: typeof fetch
  log: Logger
  clock?: () => number
  timeoutMs?: number
}

export async function sendPing(config: Config, io: PingIo, now: number): Promise<Record<ChannelName, PingResult>> {
  const clock = io.clock ?? (() => Date.now())
  const channels = configuredChannels(config, { fetch: io.fetch, clock, timeoutMs: io.timeoutMs ?? DELIVERY_TIMEOUT_MS })
  const at = new Date(now).toISOString()
  const results = {} as Record<ChannelName, PingResult>
  // The defaults are always answered, configured or not; a label's channel exists only when configured.
  for (const name of CHANNELS) results[name] = { configured: false, ok: false, status: null, error: null, event_id: null }
  // One ping event, so the operator can match what every channel received.
  const id = `evt_ping_${crypto.randomUUID().replace(/-/g, '')}`
  await Promise.all(
    channels.map(async (channel) => {
      const outcome = await channel.ping(id, at)
      const error = outcome.kind === 'delivered' ? null : outcome.error
      results[channel.name] = { configured: true, ok: error === null, status: outcome.status, error, event_id: id }
      io.log({
        msg: 'test notification sent',
        level: error ? 'warn' : 'info',
        channel: channel.name,
        event_id: id,
        status: outcome.status,
        error: error ?? undefined,
      })
    }),
  )
  return results
}
