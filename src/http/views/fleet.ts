/** @module The fleet as the operator views see it: plain view models, and which numbers need attention and why (pure). */
import type { ConfigProblem } from '../../config'
import type { RunSummary } from '../../ledger/run-table'
import type { ChannelName } from '../../notify/outbox'

/** How the last probe of a number's Flow endpoint went (issue 9); null in a NumberView means no endpoint is configured. */
export interface EndpointView {
  outcome: 'ok' | 'key_mismatch' | 'signature_rejected' | 'bad_response' | 'http_error' | 'unreachable' | null
  probed_at: string | null
  http_status: number | null
  latency_ms: number | null
  /** `endpoint.failing` was sent for the outage under way. */
  failing: boolean
}

export interface NumberView {
  phone: string
  /** Null until the number's first check. */
  checked_at: string | null
  outcome: 'key' | 'no_key' | 'error' | null
  error_code: string | null
  consecutive_failures: number
  /** `check.failing` was sent for the outage under way. */
  failing: boolean
  kid: string | null
  signature_status: string | null
  /** The kid of a key Kaleyra stopped returning. */
  removed_kid: string | null
  pod: string | null
  endpoint: EndpointView | null
  labels: string[]
  /** Notifications held until `until`; a muted number needs no attention. */
  muted: { until: string; reason: string } | null
}

export interface ChannelHealthView {
  name: ChannelName
  configured: boolean
  pending: number
  last_success_at: string | null
  last_error_at: string | null
  /** Events given up on in the last day, and ever. */
  dead_letters_recent: number
  dead_letters_total: number
}

/** The last complete run, as the ledger keeps it. */
export type LastRunView = RunSummary

export interface FleetView {
  now: number
  last_run: LastRunView | null
  /** The cron's next firing, when the cron is known. */
  next_run_at: string | null
  problems: ConfigProblem[]
  /** Every watched number, in any order. */
  numbers: NumberView[]
  channels: ChannelHealthView[]
}

export const ATTENTION_REASONS = [
  'check_outage',
  'check_failing',
  'signature_invalid',
  'key_removed',
  'no_key',
  'endpoint_mismatch',
  'endpoint_failing',
] as const
export type AttentionReason = (typeof ATTENTION_REASONS)[number]

/** Why a number needs someone to act, most urgent first; empty when it is healthy or not checked yet. */
export function attentionOf(n: NumberView): AttentionReason[] {
  const reasons: AttentionReason[] = []
  if (n.muted) return reasons
  if (n.outcome === 'error') reasons.push(n.failing ? 'check_outage' : 'check_failing')
  if (n.outcome === 'no_key') reasons.push(n.removed_kid ? 'key_removed' : 'no_key')
  if (n.signature_status !== null && n.signature_status !== 'VALID' && n.outcome !== 'no_key') reasons.push('signature_invalid')
  if (n.endpoint?.outcome === 'key_mismatch') reasons.push('endpoint_mismatch')
  else if (n.endpoint?.failing) reasons.push('endpoint_failing')
  return reasons
}

/** A channel is failing when it is configured and its latest attempt failed. */
export function channelFailing(ch: ChannelHealthView): boolean {
  return ch.configured && ch.last_error_at !== null && (ch.last_success_at === null || ch.last_error_at > ch.last_success_at)
}

export interface FleetSummary {
  numbers: number
  checked: number
  healthy: number
  need_attention: number
  reasons: Record<AttentionReason, number>
  channels: { configured: number; failing: number; pending: number; dead_letters_recent: number; dead_letters_total: number }
}

export function summarizeFleet(view: Pick<FleetView, 'numbers' | 'channels'>): FleetSummary {
  const reasons = Object.fromEntries(ATTENTION_REASONS.map((r) => [r, 0])) as Record<AttentionReason, number>
  let needAttention = 0
  let checked = 0
  for (const n of view.numbers) {
    if (n.checked_at !== null) checked++
    const why = attentionOf(n)
    if (why.length > 0) needAttention++
    for (const r of why) reasons[r]++
  }
  const configured = view.channels.filter((ch) => ch.configured)
  return {
    numbers: view.numbers.length,
    checked,
    healthy: checked - needAttention,
    need_attention: needAttention,
    reasons,
    channels: {
      configured: configured.length,
      failing: configured.filter(channelFailing).length,
      pending: configured.reduce((sum, ch) => sum + ch.pending, 0),
      dead_letters_recent: view.channels.reduce((sum, ch) => sum + ch.dead_letters_recent, 0),
      dead_letters_total: view.channels.reduce((sum, ch) => sum + ch.dead_letters_total, 0),
    },
  }
}

/** Anything in the summary an operator should act on: what `/healthz?strict=1` turns into a 503. */
export function summaryNeedsAttention(s: FleetSummary): boolean {
  return s.need_attention > 0 || s.channels.failing > 0 || s.channels.dead_letters_recent > 0
}

/** Problem numbers first (most reasons first), then by phone: the order every view lists them in. */
export function byAttention(numbers: readonly NumberView[]): NumberView[] {
  const weight = new Map(numbers.map((n) => [n.phone, attentionOf(n).length]))
  return [...numbers].sort((a, b) => (weight.get(b.phone) ?? 0) - (weight.get(a.phone) ?? 0) || (a.phone < b.phone ? -1 : a.phone > b.phone ? 1 : 0))
}
