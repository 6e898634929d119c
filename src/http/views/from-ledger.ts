/**
 * @module The ledger's views (StatusPage, FleetHealth, NumberView of src/ledger/views.ts) turned into the page view models:
 * the only file of views/ that knows the ledger's shapes. Endpoint URLs stop here: pages show outcomes, never where.
 */
import { SOURCE_INFO } from '../../sources/source'
import type { ConfigProblem } from '../../config'
import { nextFiring as nextCronFiring, parseCron } from '../cron-schedule'
import { isNote, type HistoryEntry } from '../../notify/events'
import { GAVE_UP_WINDOW_MS } from '../../rules/attention'
import type { ChannelName } from '../../notify/outbox'
import type { CheckMark } from '../../ledger/check-strip'
import type { KeyRecord } from '../../store/records'
import type { FleetHealth, NumberView as LedgerNumber, StatusPage } from '../../ledger/views'
import type { ChannelHealthView, EndpointView, FleetView, NumberView } from './fleet'
import type { HistoryItemView, KeyView, NumberPageView } from './number-page-view'

export function fleetViewFromLedger(status: StatusPage, health: FleetHealth, cron: string | null, problems: ConfigProblem[], now: number): FleetView {
  const { notifications, ...fleet } = health.fleet
  return {
    fleet: { ...fleet, numbers: health.numbers, channels: notifications.needing_attention },
    now,
    last_run: status.last_run,
    next_run_at: nextFiring(cron, now),
    problems,
    numbers: status.numbers.map(numberFromLedger),
    next_cursor: status.next_cursor,
    channels: (Object.keys(status.notifications.channels) as ChannelName[]).map((name): ChannelHealthView => {
      const ch = status.notifications.channels[name]
      return {
        name,
        configured: ch.configured,
        pending: ch.pending,
        last_success_at: ch.last_success_at,
        last_error_at: ch.last_error_at,
        dead_letters_recent: ch.failed.filter((d) => now - Date.parse(d.at) < GAVE_UP_WINDOW_MS).length,
        dead_letters_total: ch.failed_total,
        attention: ch.attention,
      }
    }),
  }
}

export function numberFromLedger(n: LedgerNumber): NumberView {
  return {
    phone: n.phone,
    checked_at: n.checked_at,
    outcome: n.outcome,
    error_code: n.error?.code ?? null,
    consecutive_failures: n.consecutive_failures,
    failing: n.failing,
    kid: n.kid,
    signature_status: n.signature_status,
    pod: n.pod,
    source: SOURCE_INFO[n.source].words,
    endpoint: n.endpoint ? endpointFromLedger(n.endpoint) : null,
    attention: n.attention,
    labels: n.labels,
    // Read apart, for the numbers a page shows (ledger.checkStrips).
    checks: [],
    muted: n.muted ? { until: n.muted.until, reason: n.muted.reason } : null,
  }
}

function endpointFromLedger(e: NonNullable<LedgerNumber['endpoint']>): EndpointView {
  return { outcome: e.outcome, probed_at: e.probed_at, http_status: e.http_status, latency_ms: e.latency_ms, consecutive_failures: e.consecutive_failures }
}

/** One number's page: its ledger view (null once unwatched), its current and previous key, and its history. */
export function numberPageFromLedger(
  phone: string,
  number: LedgerNumber | null,
  keys: { current: KeyRecord | null; previous: KeyRecord | null; checks?: CheckMark[] },
  events: readonly HistoryEntry[],
  now: number,
): NumberPageView {
  return {
    now,
    phone,
    watched: number !== null,
    number: number ? { ...numberFromLedger(number), checks: keys.checks ?? [] } : null,
    current: keyView(keys.current),
    previous: keyView(keys.previous),
    history: events.map((e): HistoryItemView => ({
      type: e.type,
      timestamp: e.timestamp,
      kid: e.data.kid,
      previous_kid: e.data.previous_kid,
      signature_status: e.data.signature_status,
      // An endpoint event's title already says what the endpoint did; its error is not a failed check.
      error_code: e.type.startsWith('endpoint.') ? null : (e.data.error?.code ?? null),
      mute: isNote(e) ? e.mute : null,
    })),
  }
}

function keyView(key: { kid: string; signature_status: string; first_seen_at: string; spki_sha256: string } | null): KeyView | null {
  if (!key) return null
  return { kid: key.kid, signature_status: key.signature_status, first_seen_at: key.first_seen_at, spki_sha256: key.spki_sha256 }
}

/** The cron's next firing (Cloudflare's crons are UTC); null without a readable cron. */
function nextFiring(cron: string | null, now: number): string | null {
  if (!cron) return null
  try {
    const at = nextCronFiring(parseCron(cron), now)
    return at === null ? null : new Date(at).toISOString()
  } catch {
    return null
  }
}
