/** @module What operators and /healthz see of the ledger: each number's state, the fleet's problems, delivery state. */
import type { Config } from '../config'
import type { ErrorInfo } from '../errors'
import { channelNames } from '../notify/channels'
import { CHANNELS, type ChannelName, type DeadLetter } from '../notify/outbox'
import type { NumberStatus } from '../store/records'
import { readHeartbeat, type HeartbeatState } from './heartbeat'
import { displayEndpointUrl } from '../probe'
import { readAllStatuses, readNumbers, type StoredEndpoint } from './number-records'
import { knownChannels, readStats, summarizePending } from './outbox-table'
import { readRankings, type PodMeasurement } from './pod-table'
import { deadBatches, drainingRun, lastCompleteRun, recentRuns, type DeadBatch, type Draining, type RunSummary } from './run-table'
import type { WatchedNumber } from './watch-list'
import { readMeta } from './schema'
import { mutedPhones, readMutes, type Mute } from './mute-table'

const EPOCH = new Date(0).toISOString()

export type AttentionReason = 'check_failing' | 'signature_invalid' | 'key_removed' | 'no_key' | 'endpoint_key_mismatch' | 'endpoint_failing'

export interface NumberView {
  phone: string
  sid: string
  pod_setting: string
  source: WatchedNumber['source']
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
  /** Empty while muted: a muted number needs no attention (its state still shows). */
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
  fleet: {
    /** Numbers with at least one problem. */
    attention: number
    reasons: Record<AttentionReason, number>
    /** A few of them, so a monitor's alert names where to look. */
    examples: { phone: string; reasons: AttentionReason[] }[]
    notifications: { failing_channels: ChannelName[]; pending: number; dead_letters: number }
  }
}

export function numberView(n: WatchedNumber, status: NumberStatus | undefined, stored: StoredEndpoint | null = null, mute: Mute | null = null): NumberView {
  const checked = status && status.checked_at !== EPOCH ? status : undefined
  const endpoint = n.endpoint_url ? endpointView(n.endpoint_url, stored) : null
  return {
    phone: n.phone,
    sid: n.sid,
    pod_setting: n.pod,
    source: n.source,
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
    attention: mute ? [] : [...(checked ? attentionOf(checked) : []), ...endpointAttention(endpoint)],
    labels: n.labels,
    muted: mute,
  }
}

function endpointView(url: string, stored: StoredEndpoint | null): EndpointView {
  const shown = displayEndpointUrl(url)
  // A state probed at another URL belongs to the old endpoint.
  const state = stored && stored.url === shown ? stored : null
  return {
    url: shown,
    outcome: state?.outcome ?? null,
    http_status: state?.http_status ?? null,
    latency_ms: state?.latency_ms ?? null,
    probed_at: state?.probed_at ?? null,
    kid: state?.kid ?? null,
    inconclusive: state?.inconclusive ?? false,
    consecutive_failures: state?.consecutive_failures ?? 0,
  }
}

function endpointAttention(endpoint: EndpointView | null): AttentionReason[] {
  if (!endpoint?.outcome || endpoint.outcome === 'ok' || endpoint.inconclusive) return []
  return [endpoint.outcome === 'key_mismatch' ? 'endpoint_key_mismatch' : 'endpoint_failing']
}

/** Pure: what is wrong with a number, in the words /healthz and the status page use. */
export function attentionOf(status: NumberStatus): AttentionReason[] {
  const reasons: AttentionReason[] = []
  if (status.outcome === 'error') reasons.push('check_failing')
  if (status.kid && status.signature_status !== null && status.signature_status !== 'VALID') reasons.push('signature_invalid')
  if (!status.kid && status.removed_kid) reasons.push('key_removed')
  else if (!status.kid && status.outcome === 'no_key') reasons.push('no_key')
  return reasons
}

export function statusPage(
  sql: SqlStorage,
  config: Config,
  page: { numbers: WatchedNumber[]; next_cursor: string | null },
  total: number,
  now: number,
): StatusPage {
  const phones = page.numbers.map((n) => n.phone)
  const stored = readNumbers(sql, phones)
  const mutes = readMutes(sql, phones)
  return {
    last_run: lastCompleteRun(sql),
    runs: recentRuns(sql, 5),
    numbers: page.numbers.map((n) => numberView(n, stored.get(n.phone)?.status, stored.get(n.phone)?.endpoint ?? null, mutes.get(n.phone) ?? null)),
    total,
    next_cursor: page.next_cursor,
    notifications: { channels: channelViews(sql, config, now) },
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

/** The default channels always, then every label channel configured or still holding state, by name. */
export function channelViews(sql: SqlStorage, config: Config, now: number): Record<ChannelName, ChannelView> {
  const configured = channelNames(config)
  const views = {} as Record<ChannelName, ChannelView>
  const names = new Set<ChannelName>([...CHANNELS, ...configured, ...knownChannels(sql)])
  for (const name of names) {
    const stats = readStats(sql, name)
    const pending = summarizePending(sql, name)
    views[name] = {
      configured: configured.includes(name),
      pending: pending.pending,
      // The request's clock can trail the ledger's; an age is never negative.
      oldest_pending_age_s: pending.oldest_queued_at === null ? null : Math.max(0, Math.round((now - pending.oldest_queued_at) / 1000)),
      next_attempt_at: pending.next_at === null ? null : new Date(pending.next_at).toISOString(),
      last_success_at: stats.last_success_at,
      last_error_at: stats.last_error_at,
      last_error: stats.last_error,
      failing: stats.last_error_at !== null && (stats.last_success_at === null || stats.last_error_at > stats.last_success_at),
      failed_total: stats.failed_total,
      failed: stats.failed,
    }
  }
  return views
}

export function fleetHealth(sql: SqlStorage, config: Config, list: readonly WatchedNumber[], now: number): FleetHealth {
  const stored = readAllStatuses(sql)
  const mutes = readMutes(sql, [...mutedPhones(sql)])
  const reasons: Record<AttentionReason, number> = {
    check_failing: 0,
    signature_invalid: 0,
    key_removed: 0,
    no_key: 0,
    endpoint_key_mismatch: 0,
    endpoint_failing: 0,
  }
  const examples: FleetHealth['fleet']['examples'] = []
  let attention = 0
  for (const n of list) {
    const view = numberView(n, stored.get(n.phone)?.status, stored.get(n.phone)?.endpoint ?? null, mutes.get(n.phone) ?? null)
    if (view.attention.length === 0) continue
    attention++
    for (const reason of view.attention) reasons[reason]++
    if (examples.length < 10) examples.push({ phone: n.phone, reasons: view.attention })
  }
  const channels = channelViews(sql, config, now)
  const names = Object.keys(channels) as ChannelName[]
  const configured = names.filter((name) => channels[name].configured)
  return {
    last_run: lastCompleteRun(sql),
    draining: drainingRun(sql, now),
    numbers: list.length,
    fleet: {
      attention,
      reasons,
      examples,
      notifications: {
        failing_channels: configured.filter((name) => channels[name].failing),
        pending: configured.reduce((sum, name) => sum + channels[name].pending, 0),
        dead_letters: names.reduce((sum, name) => sum + channels[name].failed_total, 0),
      },
    },
  }
}
