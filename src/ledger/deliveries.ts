/** @module The ledger's delivery step: each channel's due events, sent in order and booked back into the outbox rows. */
import type { Config } from '../config'
import type { Logger } from '../log'
import { configuredChannels } from '../notify/channels'
import { expireUnconfigured, sweepChannel } from '../notify/deliver'
import { DELIVERY_TIMEOUT_MS } from '../notify/send'
import { mutedPhones } from './mute-table'
import { channelsWithPending, readPending, readStats, saveDeliveries, writeStats } from './outbox-table'

/** Pending entries one sweep looks at per channel: enough to find what is due and keep each number's order. */
const PENDING_WINDOW = 2_000

export interface DeliveryIo {
  fetch: typeof fetch
  log: Logger
  clock: () => number
  timeoutMs?: number
}

/**
 * Returns true when a channel has more due than one sweep sends: the alarm comes straight back.
 * Events of a run still under way (queued at or after `heldFrom`) wait for it to complete, so a
 * fleet's first run is one Slack message rather than one per batch.
 */
export async function deliverDue(sql: SqlStorage, config: Config, io: DeliveryIo, now: number, heldFrom: number | null = null): Promise<boolean> {
  const channels = configuredChannels(config, { fetch: io.fetch, clock: io.clock, timeoutMs: io.timeoutMs ?? DELIVERY_TIMEOUT_MS })
  let more = false
  // A channel since unset still has its rows: they wait out their schedule there, then become dead letters.
  const names = new Set([...channels.map((c) => c.name), ...channelsWithPending(sql)])
  const muted = mutedPhones(sql)
  for (const name of names) {
    // A muted number's events wait, neither sent nor given up, until its mute ends.
    const pending = readPending(sql, name, PENDING_WINDOW).filter(
      (entry) => (heldFrom === null || entry.queued_at < heldFrom) && !muted.has(entry.event.data.phone),
    )
    if (pending.length === 0) continue
    const stats = readStats(sql, name)
    const channel = channels.find((c) => c.name === name)
    if (channel) more = (await sweepChannel(channel, pending, now, stats, { log: io.log, clock: io.clock })) || more
    else expireUnconfigured(name, pending, now, stats)
    // Written after the sends, with no await in between (one implicit transaction): a crash
    // before it sends again (the receiver dedupes on webhook-id) rather than forgets.
    saveDeliveries(sql, name, pending)
    writeStats(sql, name, stats)
  }
  return more
}
