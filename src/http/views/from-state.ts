/**
 * @module Today's KV records turned into the view models (the only file of views/ that knows the store's shapes).
 * When the state of record moves (issue 7), this adapter is what changes; the views stay.
 */
import type { Config, ConfigProblem } from '../../config'
import { channelNames } from '../../notify/channels'
import { CHANNELS, pendingFor } from '../../notify/outbox'
import type { KeyRecord, NumberRecord, NumberStatus, RunSummary, StateRecord } from '../../store/records'
import type { WatchedNumber } from '../../store/watchlist'
import type { ChannelHealthView, FleetView, LastRunView, NumberView } from './fleet'
import type { HistoryItemView, KeyView, NumberPageView } from './number-page-view'

const DAY_MS = 24 * 60 * 60_000

export function fleetViewFromState(config: Config, problems: ConfigProblem[], state: StateRecord, watched: readonly WatchedNumber[], now: number): FleetView {
  return {
    now,
    last_run: lastRunView(state.last_run),
    problems,
    numbers: watched.map((n) => numberView(n.phone, state.numbers[n.phone])),
    channels: channelViews(config, state, now),
  }
}

export function numberPageFromRecords(
  phone: string,
  watched: boolean,
  status: NumberStatus | undefined,
  record: NumberRecord | null,
  now: number,
): NumberPageView {
  return {
    now,
    phone,
    watched,
    number: watched ? numberView(phone, status) : null,
    current: keyView(record?.current ?? null),
    previous: keyView(record?.previous ?? null),
    history: (record?.history ?? []).map((e): HistoryItemView => ({
      type: e.type,
      timestamp: e.timestamp,
      kid: e.data.kid,
      previous_kid: e.data.previous_kid,
      signature_status: e.data.signature_status,
      error_code: e.data.error?.code ?? null,
    })),
  }
}

/** One number of GET /v1/status: its watch entry and its last check, endpoint null until issue 9 brings probes. */
export function statusNumberFromState(n: WatchedNumber, status: NumberStatus | undefined) {
  return {
    phone: n.phone,
    sid: n.sid,
    pod_setting: n.pod,
    source: n.source,
    pod: status?.pod ?? null,
    checked_at: status?.checked_at ?? null,
    outcome: status?.outcome ?? null,
    error: status?.error ?? null,
    consecutive_failures: status?.consecutive_failures ?? 0,
    failing: status?.failing ?? false,
    kid: status?.kid ?? null,
    signature_status: status?.signature_status ?? null,
    fetched_at: status?.fetched_at ?? null,
    endpoint: null,
  }
}

function lastRunView(run: RunSummary | null): LastRunView | null {
  if (!run) return null
  const { id, trigger, cron, started_at, finished_at, interval_ms, checked, succeeded, failed, events, deferred, cost } = run
  return { id, trigger, cron, started_at, finished_at, interval_ms, checked, succeeded, failed, events, deferred: deferred ?? 0, cost }
}

function numberView(phone: string, s: NumberStatus | undefined): NumberView {
  // A status seeded before the first answer carries the epoch as its check time.
  const checked = s && Date.parse(s.checked_at) > 0 ? s : undefined
  return {
    phone,
    checked_at: checked?.checked_at ?? null,
    outcome: checked?.outcome ?? null,
    error_code: checked?.error?.code ?? null,
    consecutive_failures: checked?.consecutive_failures ?? 0,
    failing: checked?.failing ?? false,
    kid: s?.kid ?? null,
    signature_status: s?.signature_status ?? null,
    removed_kid: s?.removed_kid ?? null,
    pod: s?.pod ?? null,
    // The endpoint probe (issue 9) has no data in today's records.
    endpoint: null,
  }
}

function channelViews(config: Config, state: StateRecord, now: number): ChannelHealthView[] {
  const configured = channelNames(config)
  return CHANNELS.map((name) => {
    const stats = state.channels[name]
    const failed = stats?.failed ?? []
    return {
      name,
      configured: configured.includes(name),
      pending: pendingFor(state.outbox, name).length,
      last_success_at: stats?.last_success_at ?? null,
      last_error_at: stats?.last_error_at ?? null,
      dead_letters_recent: failed.filter((d) => now - Date.parse(d.at) < DAY_MS).length,
      dead_letters_total: stats?.failed_total ?? failed.length,
    }
  })
}

function keyView(key: KeyRecord | null): KeyView | null {
  if (!key) return null
  return { kid: key.kid, signature_status: key.signature_status, first_seen_at: key.first_seen_at, spki_sha256: key.spki_sha256 }
}
