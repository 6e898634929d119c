/** @module What operators and /healthz see of the ledger: each number's state, the fleet's problems, delivery state. */
import type { Config } from '../config'
import type { ErrorInfo } from '../errors'
import { channelNames } from '../notify/channels'
import { routeEvent } from '../notify/routing'
import { CHANNELS, type ChannelName, type DeadLetter } from '../notify/outbox'
import type { NumberStatus } from '../store/records'
import { readHeartbeat, type HeartbeatState } from './heartbeat'
import { displayEndpointUrl } from '../probe'
import { readNumbers, type StoredEndpoint } from './number-records'
import { knownChannels, readStats, summarizePending } from './outbox-table'
import { readRankings, type PodMeasurement } from './pod-table'
import { deadBatches, drainingRun, lastCompleteRun, recentRuns, type DeadBatch, type Draining, type RunSummary } from './run-table'
import type { WatchedNumber } from './watch-list'
import type { SourceFields } from '../sources/source'
import { sourceFieldsOf } from './source-columns'
import { readMeta } from './schema'
import { firstProblems, labelCounts, readCounts } from './fleet-index'
import {
  channelAttention,
  lastDeliveryFailed,
  numberAttention,
  FLEET_EXAMPLES,
  type AttentionReason,
  type AttentionRules,
  type ChannelReason,
  type FleetAttention,
  isMuted,
} from '../rules/attention'
import { readMutes, type Mute } from './mute-table'

const EPOCH = new Date(0).toISOString()

export type { AttentionReason }

export interface NumberView extends SourceFields {
  phone: string
  /** Kaleyra's SID and pod setting; null for a number of another source. */
  sid: string | null
  pod_setting: string | null
  origin: WatchedNumber['origin']
  pod: string | null
  checked_at: string | null
  outcome: NumberStatus['outcome'] | null
  error: ErrorInfo | null
  consecutive_failures: number
  failing: boolean
  kid: string | null
  signature_status: string | null
  fetched_at: string | null
  /** The Flow endpoint (shown without its query) and its last probe; null when the number has none. */
  endpoint: EndpointView | null
  /** Why the number needs someone (the rules of src/rules/attention.ts); every view renders this list. */
  attention: AttentionReason[]
  labels: string[]
  /** Notifications held until `until`; null when not muted. */
  muted: Mute | null
}

export interface EndpointView {
  url: string
  outcome: StoredEndpoint['outcome']
  http_status: number | null
  latency_ms: number | null
  probed_at: string | null
  kid: string | null
  inconclusive: boolean
  consecutive_failures: number
}

export interface ChannelView {
  configured: boolean
  pending: number
  oldest_pending_age_s: number | null
  next_attempt_at: string | null
  last_success_at: string | null
  last_error_at: string | null
  last_error: string | null
  /** The last attempt failed and nothing has gone through since. */
  failing: boolean
  failed_total: number
  failed: DeadLetter[]
  /** Why the channel needs someone (its last delivery failed, it gave an event up in the last day); empty when fine. */
  attention: ChannelReason[]
}

export interface StatusPage {
  last_run: RunSummary | null
  runs: RunSummary[]
  numbers: NumberView[]
  total: number
  next_cursor: string | null
  notifications: { channels: Record<ChannelName, ChannelView> }
  heartbeat: HeartbeatState | null
  pods: { sid: string; ranking: string[]; measured: PodMeasurement[]; measured_at: string | null; remembered: string | null }[]
  dead_batches: DeadBatch[]
  /** The ledger itself: its SQLite size, and the edge documents written to KV so far and still to write. */
  ledger: { database_bytes: number; kv_puts_total: number; max_puts_per_publish: number; unpublished: number }
}

export interface FleetHealth {
  last_run: RunSummary | null
  /** A run still under way: while its batches keep reporting, /healthz is not stale. */
  draining: Draining | null
  numbers: number
  fleet: Omit<FleetAttention, 'channels'> & {
    /** `needing_attention`: the channels needing attention, by name. */
    notifications: { needing_attention: string[]; failing_channels: ChannelName[]; pending: number; dead_letters: number }
  }
}

/** `mute`: the number's mute, if it has one (a past one is over for every view; the next run ends it). */
export function numberView(
  n: WatchedNumber,
  status: NumberStatus | undefined,
  stored: StoredEndpoint | null,
  rules: AttentionRules,
  mute: Mute | null = null,
): NumberView {
  const checked = status && status.checked_at !== EPOCH ? status : undefined
  const probe = n.endpoint_url ? currentProbe(n.endpoint_url, stored) : null
  const endpoint = n.endpoint_url ? endpointView(n.endpoint_url, probe) : null
  return {
    phone: n.phone,
    ...sourceFieldsOf(n),
    sid: n.source === 'kaleyra' ? n.sid : null,
    pod_setting: n.source === 'kaleyra' ? n.pod : null,
    origin: n.origin,
    pod: checked?.pod ?? null,
    checked_at: checked?.checked_at ?? null,
    outcome: checked?.outcome ?? null,
    error: checked?.error ?? null,
    consecutive_failures: checked?.consecutive_failures ?? 0,
    failing: checked?.failing ?? false,
    kid: checked?.kid ?? null,
    signature_status: checked?.signature_status ?? null,
    fetched_at: checked?.fetched_at ?? null,
    endpoint,
    attention: numberAttention({ check: checked ?? null, endpoint: probe, muted_until: mute?.until ?? null }, rules),
    labels: n.labels,
    muted: mute && isMuted(mute.until, rules.now) ? mute : null,
  }
}

/** The stored probe state of the number's endpoint as configured now: a state probed at another URL belongs to the old endpoint. */
function currentProbe(url: string, stored: StoredEndpoint | null): StoredEndpoint | null {
  return stored && stored.url === displayEndpointUrl(url) ? stored : null
}

function endpointView(url: string, state: StoredEndpoint | null): EndpointView {
  return {
    url: displayEndpointUrl(url),
    outcome: state?.outcome ?? null,
    http_status: state?.http_status ?? null,
    latency_ms: state?.latency_ms ?? null,
    probed_at: state?.probed_at ?? null,
    kid: state?.kid ?? null,
    inconclusive: state?.inconclusive ?? false,
    consecutive_failures: state?.consecutive_failures ?? 0,
  }
}

export function statusPage(
  sql: SqlStorage,
  config: Config,
  page: { numbers: WatchedNumber[]; next_cursor: string | null },
  total: number,
  now: number,
  label: string | null = null,
): StatusPage {
  const phones = page.numbers.map((n) => n.phone)
  const stored = readNumbers(sql, phones)
  const mutes = readMutes(sql, phones)
  return {
    last_run: lastCompleteRun(sql),
    runs: recentRuns(sql, 5),
    numbers: page.numbers.map((n) =>
      numberView(n, stored.get(n.phone)?.status, stored.get(n.phone)?.endpoint ?? null, attentionRules(config, now), mutes.get(n.phone) ?? null),
    ),
    total,
    next_cursor: page.next_cursor,
    notifications: { channels: channelViews(sql, config, now, label) },
    heartbeat: readHeartbeat(sql),
    pods: [...readRankings(sql).values()].map((r) => ({
      sid: r.sid,
      ranking: r.ranking,
      measured: r.measured,
      measured_at: r.measured_at ? new Date(r.measured_at).toISOString() : null,
      remembered: r.remembered,
    })),
    dead_batches: deadBatches(sql, 20),
    ledger: {
      database_bytes: sql.databaseSize,
      kv_puts_total: readMeta<number>(sql, 'kv_puts_total') ?? 0,
      max_puts_per_publish: readMeta<number>(sql, 'max_puts_per_publish') ?? 0,
      unpublished: sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM numbers WHERE doc_dirty > 0 OR history_dirty > 0').one().n,
    },
  }
}

export function attentionRules(config: Config, now: number): AttentionRules {
  return { failingAfter: config.failingAfter, now }
}

/** The default channels always, then every label channel configured or still holding state, by name. */
export function channelViews(sql: SqlStorage, config: Config, now: number, label: string | null = null): Record<ChannelName, ChannelView> {
  const configured = channelNames(config)
  const views = {} as Record<ChannelName, ChannelView>
  const names = new Set<ChannelName>([...CHANNELS, ...configured, ...knownChannels(sql)])
  for (const name of names) {
    // A customer's view (`?label=`) speaks for the channels that customer's numbers go to, its own and the defaults.
    if (label !== null && !routeEvent([label], [name]).length) continue
    const stats = readStats(sql, name)
    const pending = summarizePending(sql, name)
    const facts = { configured: configured.includes(name), last_success_at: stats.last_success_at, last_error_at: stats.last_error_at }
    views[name] = {
      configured: facts.configured,
      pending: pending.pending,
      // The request's clock can trail the ledger's; an age is never negative.
      oldest_pending_age_s: pending.oldest_queued_at === null ? null : Math.max(0, Math.round((now - pending.oldest_queued_at) / 1000)),
      next_attempt_at: pending.next_at === null ? null : new Date(pending.next_at).toISOString(),
      last_success_at: stats.last_success_at,
      last_error_at: stats.last_error_at,
      last_error: stats.last_error,
      failing: lastDeliveryFailed(facts),
      failed_total: stats.failed_total,
      failed: stats.failed,
      // Dead letters are kept newest first.
      attention: channelAttention({ ...facts, last_gave_up_at: stats.failed[0]?.at ?? null }, now),
    }
  }
  return views
}

/** From the counts the ledger keeps as it records (fleet-index.ts): a few rows, whatever the fleet's size. */
export function fleetHealth(sql: SqlStorage, config: Config, now: number, label: string | null = null): FleetHealth {
  // A customer's view counts its numbers' rows of the index: as many rows as it has numbers.
  const counts = label ? labelCounts(sql, label) : readCounts(sql)
  const channels = channelViews(sql, config, now, label)
  const names = Object.keys(channels) as ChannelName[]
  const configured = names.filter((name) => channels[name].configured)
  return {
    last_run: lastCompleteRun(sql),
    draining: drainingRun(sql, now),
    numbers: counts.numbers,
    fleet: {
      attention: counts.attention,
      reasons: counts.reasons,
      examples: firstProblems(sql, FLEET_EXAMPLES, label),
      notifications: {
        needing_attention: names.filter((name) => channels[name].attention.length > 0),
        failing_channels: configured.filter((name) => channels[name].failing),
        pending: configured.reduce((sum, name) => sum + channels[name].pending, 0),
        dead_letters: names.reduce((sum, name) => sum + channels[name].failed_total, 0),
      },
    },
  }
}
