/** @module The fleet as the operator views see it: plain view models carrying the ledger's attention verdicts, which the pages only render. */
import type { ConfigProblem } from '../../config'
import type { RunSummary } from '../../ledger/run-table'
import type { AttentionReason, ChannelReason, FleetAttention } from '../../rules/attention'
import type { ChannelName } from '../../notify/outbox'
import type { CheckMark } from '../../ledger/check-strip'
import type { ProbeOutcome } from '../../probe/outcome'

export type { AttentionReason }

/** How the last probe of a number's Flow endpoint went; null in a NumberView means no endpoint is configured. */
export interface EndpointView {
  outcome: ProbeOutcome | null
  probed_at: string | null
  http_status: number | null
  latency_ms: number | null
  consecutive_failures: number
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
  pod: string | null
  /** Where the key is read, in words (`Kaleyra`, `Meta's Graph API`, …). */
  source: string
  endpoint: EndpointView | null
  /** The ledger's verdict: why the number needs someone, empty when it does not. */
  attention: AttentionReason[]
  labels: string[]
  /** Its recent checks, oldest first (the strip). */
  checks: CheckMark[]
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
  /** The ledger's verdict: why the channel needs someone, empty when it delivers. */
  attention: ChannelReason[]
}

/** The last complete run, as the ledger keeps it. */
export type LastRunView = RunSummary

export interface FleetView {
  now: number
  last_run: LastRunView | null
  /** The cron's next firing, when the cron is known. */
  next_run_at: string | null
  problems: ConfigProblem[]
  /** One page of the watched numbers, problems first, as the ledger ranks them. */
  numbers: NumberView[]
  /** Where the next page starts; null on the last. */
  next_cursor: string | null
  channels: ChannelHealthView[]
  /** The ledger's tally over the whole fleet: the count the page says, the same as /healthz's `fleet`. */
  fleet: FleetAttention & { numbers: number }
}
