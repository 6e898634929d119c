/** @module Needs attention, decided once: a number's reasons, a channel's verdict and the fleet's tally, from the state the ledger keeps (pure). */

/** Every reason a number may need someone, in the order views list them. */
export const ATTENTION_REASONS = ['check_failing', 'signature_invalid', 'key_removed', 'no_key', 'endpoint_key_mismatch', 'endpoint_failing'] as const
export type AttentionReason = (typeof ATTENTION_REASONS)[number]

/** Each reason in a few words: the label every view (page badge, `/healthz` message, `flowkey status`) shows. */
export const REASON_WORDS: Record<AttentionReason, string> = {
  check_failing: 'checks failing',
  signature_invalid: 'signature not valid',
  key_removed: 'key removed',
  no_key: 'no key',
  endpoint_key_mismatch: 'endpoint key mismatch',
  endpoint_failing: 'endpoint failing',
}

/** Why a channel needs someone: its last delivery failed, or it gave an event up within GAVE_UP_WINDOW_MS. */
export const CHANNEL_REASONS = ['delivery_failing', 'gave_up'] as const
export type ChannelReason = (typeof CHANNEL_REASONS)[number]

export const CHANNEL_REASON_WORDS: Record<ChannelReason, string> = {
  delivery_failing: 'last delivery failed',
  gave_up: 'gave up an event in the last day',
}

/** A given-up event keeps its channel needing attention this long. */
export const GAVE_UP_WINDOW_MS = 24 * 60 * 60_000

/** A number's last check: only what the rules read. */
export interface CheckFacts {
  outcome: 'key' | 'no_key' | 'error'
  consecutive_failures: number
  /** `check.failing` was sent for the outage under way. */
  failing: boolean
  kid: string | null
  signature_status: string | null
  /** The kid of a key the source stopped returning. */
  removed_kid: string | null
}

/** A number's last endpoint probe: only what the rules read. */
export interface EndpointFacts {
  /** Null before the first probe. */
  outcome: string | null
  /** An unsigned 432: shown, never counted. */
  inconclusive: boolean
  consecutive_failures: number
  /** Which alert the episode under way has sent. */
  alerted: 'none' | 'key_mismatch' | 'failing'
}

export interface NumberFacts {
  /** Null until the number's first check. */
  check: CheckFacts | null
  /** Null when the number has no Flow endpoint. */
  endpoint: EndpointFacts | null
  /** Until when the number's notifications are held (ISO time); null, or a time past, is not muted. */
  muted_until: string | null
}

export interface AttentionRules {
  /** `FAILING_AFTER`: failures in a row before `check.failing` / `endpoint.failing` go out. */
  failingAfter: number
  now: number
}

/** A muted number needs no attention while its mute lasts. */
export function isMuted(mutedUntil: string | null, now: number): boolean {
  return mutedUntil !== null && Date.parse(mutedUntil) > now
}

/**
 * Why a number needs someone, most urgent first; empty when it is fine, muted, or not checked yet.
 * A failing check or endpoint counts only once its alert threshold is reached: one blip is not a reason.
 */
export function numberAttention(n: NumberFacts, rules: AttentionRules): AttentionReason[] {
  if (isMuted(n.muted_until, rules.now)) return []
  const reasons: AttentionReason[] = []
  const check = n.check
  if (check) {
    if (check.outcome === 'error' && (check.failing || check.consecutive_failures >= rules.failingAfter)) reasons.push('check_failing')
    if (check.kid && check.signature_status !== null && check.signature_status !== 'VALID') reasons.push('signature_invalid')
    if (!check.kid && check.removed_kid) reasons.push('key_removed')
    else if (!check.kid && check.outcome === 'no_key') reasons.push('no_key')
  }
  const probe = n.endpoint
  if (probe?.outcome && probe.outcome !== 'ok' && !probe.inconclusive) {
    if (probe.outcome === 'key_mismatch') reasons.push('endpoint_key_mismatch')
    else if (probe.alerted === 'failing' || probe.consecutive_failures >= rules.failingAfter) reasons.push('endpoint_failing')
  }
  return reasons
}

/** A channel's delivery record: only what the rules read. */
export interface ChannelFacts {
  configured: boolean
  last_success_at: string | null
  last_error_at: string | null
  /** When the newest given-up event was given up; null when none ever was. */
  last_gave_up_at: string | null
}

/** Why a configured channel needs someone; empty when it delivers (or is not configured: nothing is sent to it). */
export function channelAttention(ch: ChannelFacts, now: number): ChannelReason[] {
  if (!ch.configured) return []
  const reasons: ChannelReason[] = []
  if (lastDeliveryFailed(ch)) reasons.push('delivery_failing')
  if (ch.last_gave_up_at !== null && now - Date.parse(ch.last_gave_up_at) < GAVE_UP_WINDOW_MS) reasons.push('gave_up')
  return reasons
}

/** The last attempt failed and nothing has gone through since. */
export function lastDeliveryFailed(ch: Pick<ChannelFacts, 'last_success_at' | 'last_error_at'>): boolean {
  return ch.last_error_at !== null && (ch.last_success_at === null || ch.last_error_at > ch.last_success_at)
}

/** The fleet's tally of the verdicts above: what `/healthz` shows as `fleet`. */
export interface FleetAttention {
  /** Numbers with at least one reason. */
  attention: number
  reasons: Record<AttentionReason, number>
  /** A few of them, so a monitor's alert names where to look. */
  examples: { phone: string; reasons: AttentionReason[] }[]
  /** Channels needing attention, by name. */
  channels: string[]
}

export const FLEET_EXAMPLES = 10

export function emptyReasonCounts(): Record<AttentionReason, number> {
  return Object.fromEntries(ATTENTION_REASONS.map((r) => [r, 0])) as Record<AttentionReason, number>
}

export function tallyFleet(
  numbers: Iterable<{ phone: string; attention: readonly AttentionReason[] }>,
  channels: Iterable<{ name: string; attention: readonly ChannelReason[] }>,
): FleetAttention {
  const tally: FleetAttention = { attention: 0, reasons: emptyReasonCounts(), examples: [], channels: [] }
  for (const n of numbers) {
    if (n.attention.length === 0) continue
    tally.attention++
    for (const r of n.attention) tally.reasons[r]++
    if (tally.examples.length < FLEET_EXAMPLES) tally.examples.push({ phone: n.phone, reasons: [...n.attention] })
  }
  for (const ch of channels) if (ch.attention.length > 0) tally.channels.push(ch.name)
  return tally
}

/** Anything needs someone: what turns `/healthz?strict=1` into a 503 and `flowkey status` into exit 1. */
export function fleetNeedsAttention(f: Pick<FleetAttention, 'attention' | 'channels'>): boolean {
  return f.attention > 0 || f.channels.length > 0
}
