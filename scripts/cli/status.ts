/** @module `flowkey status`: what needs attention, from GET /v1/status (every page), as a few terminal lines; the verdicts are the worker's own. */
import { CHANNEL_REASON_WORDS, REASON_WORDS, type AttentionReason, type ChannelReason } from '../../src/rules/attention.js'
import { callApi, type ApiOptions } from './api.js'

interface NumberStatus {
  phone: string
  outcome: string | null
  error: { code: string; message: string } | null
  consecutive_failures: number
  failing?: boolean
  kid: string | null
  signature_status: string | null
  checked_at: string | null
  /** The worker's verdict: why the number needs attention. */
  attention: AttentionReason[]
  endpoint: { outcome: string | null; consecutive_failures: number } | null
  /** The customers it belongs to (a solution provider's labels). */
  labels?: string[]
  /** While muted the worker's verdict is empty: nothing is sent, and it counts for nothing. */
  muted?: { until: string; reason: string } | null
}
interface ChannelStatus {
  configured: boolean
  pending: number
  last_error: string | null
  failed_total: number
  /** The worker's verdict: why the channel needs attention. */
  attention: ChannelReason[]
}
interface StatusPage {
  last_run?: { finished_at: string; checked: number; succeeded: number } | null
  numbers: NumberStatus[]
  notifications?: { channels?: Record<string, ChannelStatus> }
  problems?: { name: string; message: string; level?: string }[]
  next_cursor?: string | null
  total?: number
  /** Queue batches given up after their retries. */
  dead_batches?: unknown[]
}

export interface StatusSummary {
  lines: string[]
  attention: number
}

/** Reads every page (`next_cursor`) so a large fleet is summarised whole; `label`: one customer's numbers and channels, as the worker narrows them. */
export async function fetchStatus(api: ApiOptions, label: string | null = null): Promise<StatusPage> {
  const query = `/v1/status?limit=1000${label === null ? '' : `&label=${encodeURIComponent(label)}`}`
  const first = (await callApi<StatusPage>(api, 'GET', query)).body
  const numbers = [...first.numbers]
  let cursor = first.next_cursor ?? null
  while (cursor) {
    const page = (await callApi<StatusPage>(api, 'GET', `${query}&cursor=${encodeURIComponent(cursor)}`)).body
    numbers.push(...page.numbers)
    cursor = page.next_cursor ?? null
  }
  return { ...first, numbers }
}

/**
 * Pure: the status document in, the lines to print and how many things need attention out.
 * The count is the worker's: numbers and channels with a non-empty `attention`, and blocking configuration
 * problems, exactly what turns `/healthz?strict=1` into a 503.
 */
export function summarizeStatus(status: StatusPage, now: number, label: string | null = null): StatusSummary {
  const lines: string[] = []
  let attention = 0
  const run = status.last_run
  lines.push(run ? `Last check run ${ago(now, run.finished_at)}: ${run.succeeded} of ${run.checked} numbers answered.` : 'No check run has completed yet.')
  if (label !== null) {
    const count = status.numbers.length
    lines.push(
      count === 0
        ? `Label ${label}: no number carries it (labels are set by PUT /v1/numbers/{phone} or the import's labels column).`
        : `Label ${label}: ${count} number${count === 1 ? '' : 's'}, and the channels they notify.`,
    )
  }

  const config = status.problems ?? []
  if (config.length > 0) {
    attention += config.filter((p) => p.level !== 'warning').length
    lines.push('', 'Configuration:')
    for (const p of config) lines.push(`  ${p.level === 'warning' ? 'warning' : 'problem'}  ${p.name}: ${p.message}`)
  }

  const needs = status.numbers.filter((n) => n.attention.length > 0)
  attention += needs.length
  lines.push(
    '',
    needs.length === 0
      ? `None of the ${status.numbers.length} numbers needs attention.`
      : `${needs.length} of ${status.numbers.length} numbers need attention:`,
  )
  for (const n of needs) lines.push(`  ${n.phone.padEnd(16)} ${[...numberDetails(n), ...labelsOf(n)].join('; ')}`)

  // Muted numbers need no attention by the worker's rule, but a person should see what is held and until when.
  const muted = status.numbers.filter((n) => n.muted)
  if (muted.length > 0) {
    lines.push('', `${muted.length} muted (checked and recorded, nothing sent):`)
    for (const n of muted) {
      const why = n.muted?.reason ? ` (${n.muted.reason})` : ''
      lines.push(`  ${n.phone.padEnd(16)} ${[`muted until ${n.muted?.until ?? '?'}${why}`, ...numberDetails(n), ...labelsOf(n)].join('; ')}`)
    }
  }

  const channels = Object.entries(status.notifications?.channels ?? {}).filter(([, c]) => c.configured)
  const troubled = channels.filter(([, c]) => c.attention.length > 0)
  attention += troubled.length
  if (channels.length === 0) lines.push('', 'Notifications: no channel configured (SLACK_WEBHOOK_URL, WEBHOOK_URL).')
  else {
    lines.push('', `Notifications: ${channels.map(([name, c]) => `${name} ${c.pending === 0 ? 'up to date' : `${c.pending} pending`}`).join(', ')}.`)
    for (const [name, c] of troubled) {
      lines.push(
        `  ${name}: ${c.attention.map((r) => CHANNEL_REASON_WORDS[r]).join('; ')} (${c.failed_total} given up in all; last error ${c.last_error ?? 'none'})`,
      )
    }
  }
  // Given-up batches are shown, not counted: their numbers are checked again by the next run, and /healthz goes stale if none completes.
  const dead = status.dead_batches?.length ?? 0
  if (dead > 0) lines.push('', `${dead} check batch(es) given up after retries: see dead_batches in GET /v1/status.`)
  return { lines, attention }
}

/** The worker's reasons in their words, then the details that explain them. */
function numberDetails(n: NumberStatus): string[] {
  const why = n.attention.map((reason) => REASON_WORDS[reason])
  if (n.error) why.push(`${n.error.code}: ${n.error.message}`)
  if (n.consecutive_failures > 0) why.push(`${n.consecutive_failures} failed check(s) in a row`)
  if (n.signature_status !== null && n.signature_status !== 'VALID') why.push(`signature ${n.signature_status}`)
  const probe = n.endpoint?.outcome
  if (probe && probe !== 'ok') why.push(`endpoint probe ${probe}`)
  return why
}

function labelsOf(n: NumberStatus): string[] {
  return n.labels && n.labels.length > 0 ? [`labels ${n.labels.join(', ')}`] : []
}

function ago(now: number, iso: string): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000))
  if (s < 90) return `${s} s ago`
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`
  return `${Math.round(s / 3600)} h ago`
}
