/** @module Notification views for operators: delivery state per channel in /v1/status, and POST /v1/notify/test. */
import type { Config } from '../../config'
import { CHANNELS, MAX_OUTBOX_ENTRIES, emptyStats, pendingFor, type ChannelName, type DeadLetter } from '../../notify/outbox'
import { channelNames } from '../../notify/channels'
import { sendPing } from '../../notify/ping'
import type { StateRecord } from '../../store/records'
import type { Runtime } from '../context'
import type { Handlers } from '../mount'

export interface ChannelView {
  configured: boolean
  pending: number
  /** Seconds since the oldest undelivered event was queued, on the run's clock. */
  oldest_pending_age_s: number | null
  next_attempt_at: string | null
  last_success_at: string | null
  last_error_at: string | null
  last_error: string | null
  failed_total: number
  /** Given-up events, newest first (bounded). */
  failed: DeadLetter[]
}

export interface NotificationsView {
  /** Events waiting for at least one channel, and the most the run record keeps. */
  outbox: { events: number; limit: number }
  channels: Record<ChannelName, ChannelView>
}

export function describeNotifications(config: Config, state: Pick<StateRecord, 'channels' | 'outbox'>, now: number): NotificationsView {
  const configured = channelNames(config)
  const channels = {} as Record<ChannelName, ChannelView>
  for (const name of CHANNELS) {
    const stats = { ...emptyStats(), ...state.channels[name] }
    const pending = pendingFor(state.outbox, name)
    const oldest = Math.min(...pending.map((entry) => entry.queued_at))
    const next = Math.min(...pending.map((entry) => entry.deliveries[name]?.next_at ?? Infinity))
    channels[name] = {
      configured: configured.includes(name),
      pending: pending.length,
      // The request's clock can trail a cron run's scheduled time; an age is never negative.
      oldest_pending_age_s: pending.length > 0 ? Math.max(0, Math.round((now - oldest) / 1000)) : null,
      next_attempt_at: Number.isFinite(next) ? new Date(next).toISOString() : null,
      last_success_at: stats.last_success_at,
      last_error_at: stats.last_error_at,
      last_error: stats.last_error,
      failed_total: stats.failed_total,
      failed: stats.failed,
    }
  }
  return { outbox: { events: state.outbox.length, limit: MAX_OUTBOX_ENTRIES }, channels }
}

export function notificationHandlers(runtime: Runtime): Pick<Handlers, 'notifyTest'> {
  return {
    notifyTest: async (c) => {
      const channels = await sendPing(c.var.config, { fetch: runtime.fetch, log: runtime.log }, runtime.now())
      const configured = Object.values(channels).filter((r) => r.configured)
      c.header('Cache-Control', 'no-store')
      return c.json({
        ok: configured.length > 0 && configured.every((r) => r.ok),
        ...(configured.length === 0 ? { message: 'No channel is configured: set WEBHOOK_URL and WEBHOOK_SECRET, or SLACK_WEBHOOK_URL' } : {}),
        channels,
      })
    },
  }
}
