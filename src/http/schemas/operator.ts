/** @module Schemas of the operator routes: status, check now, the watch list, bulk import, probe and notification test. */
import * as z from './z'
import { CURSOR_PATTERN } from '../../ledger/fleet-page'
import { EventSchema } from './keys'
import { LastRunSchema } from './health'
import { ATTENTION_REASONS, CHANNEL_REASONS } from '../../rules/attention'
import { PHONE_PATTERN, ProblemSchema } from './common'
import { SOURCE_NAMES } from '../../sources/source'
import { E164_DIGITS } from '../../rules/phone-rule'
import { PROBE_OUTCOMES } from '../../probe/outcome'
import { PODS } from '../../sources/kaleyra/pods'
import { MAX_IMPORT_ENTRIES } from '../../rules/limits'
import { LABEL_PATTERN, MAX_LABELS } from '../../labels/labels'
import { LabelParam } from './common'

export const POD_SETTINGS = ['auto', ...PODS] as const
export const MAX_PAGE = 1000
export const DEFAULT_PAGE = 100
/** The columns a bulk import's CSV header may name, in any order (INTERFACE.md, "Key sources"). */
export const CSV_COLUMNS = ['phone', 'source', 'sid', 'pod', 'account', 'phone_number_id', 'region', 'endpoint_url', 'labels'] as const

const Source = z.enum(SOURCE_NAMES).openapi({ description: 'Where the key is read: kaleyra (the default), meta, 360dialog or aws' })
/** Where the number came from: WATCH_NUMBERS or the operator routes. */
const Origin = z.enum(['config', 'operator'])
/** A number's source as every route shows it: `sid` and `pod` are Kaleyra's, null for another source. */
const SourceOut = {
  source: Source,
  sid: z.string().nullable(),
  account: z.string().nullable(),
  phone_number_id: z.string().nullable(),
  region: z.string().nullable(),
}

const nullableTime = z.string().nullable()
const labelList = z.array(z.string().regex(LABEL_PATTERN)).max(MAX_LABELS).openapi('Labels')
const MuteSchema = z.object({ until: z.string(), reason: z.string(), muted_at: z.string() }).nullable().openapi('MuteState')
const errorInfo = z.object({ code: z.string(), message: z.string() })

/**
 * A next_cursor is the last number of the previous page (`+` may arrive as a space); empty is the first page.
 * Anything else is forged: 400, never an empty page with next_cursor null that a client would take for the end.
 */
export const PAGE_CURSOR = new RegExp(`^(?:[+ ]${E164_DIGITS})?$`)

export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE)
    .default(DEFAULT_PAGE)
    .openapi({ param: { name: 'limit', in: 'query' }, description: `1 to ${MAX_PAGE}` }),
  cursor: z
    .string()
    .regex(PAGE_CURSOR, 'is not a next_cursor flowkey gave: start again without a cursor')
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' }, description: 'next_cursor of the previous page' }),
  label: LabelParam,
})

/** /v1/status pages in attention order (problems first): its next_cursor is `<rank>-<digits>` (src/ledger/fleet-page.ts). */
export const StatusQuery = PageQuery.extend({
  cursor: z
    .string()
    .regex(CURSOR_PATTERN, 'is not a next_cursor flowkey gave: start again without a cursor')
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' }, description: 'next_cursor of the previous page' }),
})

export const EndpointStateSchema = z
  .object({
    url: z.string().openapi({ description: 'The endpoint without its query string' }),
    outcome: z.enum(PROBE_OUTCOMES).nullable(),
    http_status: z.number().int().nullable(),
    latency_ms: z.number().nullable(),
    probed_at: nullableTime,
    kid: z.string().nullable(),
    inconclusive: z.boolean(),
    consecutive_failures: z.number().int(),
  })
  .openapi('EndpointState')

const DeadLetterSchema = z.object({
  event_id: z.string(),
  type: z.string(),
  phone: z.string(),
  at: z.string(),
  attempts: z.number().int(),
  last_status: z.number().int().nullable(),
  error: z.string(),
})

const ChannelStateSchema = z
  .object({
    configured: z.boolean(),
    pending: z.number().int(),
    oldest_pending_age_s: z.number().nullable(),
    next_attempt_at: nullableTime,
    last_success_at: nullableTime,
    last_error_at: nullableTime,
    last_error: z.string().nullable(),
    failing: z.boolean(),
    failed_total: z.number().int(),
    failed: z.array(DeadLetterSchema),
    attention: z.array(z.enum(CHANNEL_REASONS)).openapi({ description: 'Why the channel needs attention; empty when it delivers' }),
  })
  .openapi('ChannelState')

export const StatusSchema = z
  .object({
    last_run: LastRunSchema.nullable(),
    numbers: z.array(
      z.object({
        phone: z.string(),
        ...SourceOut,
        pod_setting: z.enum(POD_SETTINGS).nullable(),
        origin: Origin,
        pod: z.string().nullable(),
        checked_at: nullableTime,
        outcome: z.enum(['key', 'no_key', 'error']).nullable(),
        error: errorInfo.nullable(),
        consecutive_failures: z.number().int(),
        failing: z.boolean(),
        kid: z.string().nullable(),
        signature_status: z.string().nullable(),
        fetched_at: nullableTime,
        endpoint: EndpointStateSchema.nullable().openapi({ description: 'null when the number has no Flow endpoint' }),
        attention: z
          .array(z.enum(ATTENTION_REASONS))
          .openapi({ description: 'Why the number needs attention; a failing check or endpoint only once FAILING_AFTER is reached; empty while muted' }),
        labels: labelList,
        muted: MuteSchema,
      }),
    ),
    runs: z.array(LastRunSchema),
    total: z.number().int(),
    next_cursor: z.string().nullable(),
    notifications: z.object({
      channels: z
        .object({ webhook: ChannelStateSchema, slack: ChannelStateSchema })
        .catchall(ChannelStateSchema)
        .openapi({ description: 'webhook, slack, webhook:<label>, slack:<label>' }),
    }),
    heartbeat: z.object({ at: z.string(), ok: z.boolean(), error: z.string().nullable() }).nullable(),
    pods: z.array(
      z.object({
        sid: z.string(),
        ranking: z.array(z.string()),
        measured: z.array(z.object({ pod: z.string(), result: z.enum(['serving', 'refused', 'down']), rtt_ms: z.number().nullable() })),
        measured_at: nullableTime,
        remembered: z.string().nullable(),
      }),
    ),
    dead_batches: z.array(
      z.object({ run_id: z.string(), batch: z.number().int(), numbers: z.array(z.string()), at: z.string(), error: z.string().nullable() }),
    ),
    ledger: z.object({ database_bytes: z.number(), kv_puts_total: z.number().int(), max_puts_per_publish: z.number().int(), unpublished: z.number().int() }),
    problems: z.array(ProblemSchema),
  })
  .openapi('Status')

export const CheckQuery = z.object({
  phone: z
    .string()
    .optional()
    .openapi({ param: { name: 'phone', in: 'query' }, description: 'Check this number only (write + as %2B)' }),
})

export const CheckReportSchema = z
  .object({
    id: z.string().nullable(),
    trigger: z.literal('manual'),
    started_at: z.string(),
    finished_at: z.string(),
    checked: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    numbers: z.array(
      z.object({
        phone: z.string(),
        source: Source,
        sid: z.string().nullable(),
        pod: z.string().nullable(),
        outcome: z.enum(['key', 'no_key', 'error']),
        kid: z.string().nullable(),
        signature_status: z.string().nullable(),
        consecutive_failures: z.number().int(),
        error: errorInfo.nullable(),
        events: z.array(z.string()),
        endpoint: z
          .object({
            url: z.string(),
            outcome: z.enum(PROBE_OUTCOMES),
            http_status: z.number().int().nullable(),
            latency_ms: z.number(),
            inconclusive: z.boolean(),
          })
          .nullable(),
      }),
    ),
    events: z.array(EventSchema),
    problems: z.array(ProblemSchema),
  })
  .openapi('CheckReport')

export const CheckQueuedSchema = z
  .object({
    run_id: z.string(),
    batches: z.number().int(),
    numbers: z.number().int(),
    skipped: z.number().int().openapi({ description: 'Numbers left out because their check from an earlier run is still queued' }),
    complete: z.boolean(),
    queued: z.literal(true),
    message: z.string(),
  })
  .openapi('CheckQueued')

const WatchedSchema = z.object({ phone: z.string(), ...SourceOut, pod: z.enum(POD_SETTINGS).nullable(), origin: Origin, labels: labelList })

export const NumbersPageSchema = z
  .object({ numbers: z.array(WatchedSchema.extend({ endpoint_url: z.string().nullable() })), total: z.number().int(), next_cursor: z.string().nullable() })
  .openapi('NumbersPage')

const sid = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/)
  .openapi({ description: 'Kaleyra account SID' })
const endpointUrl = z
  .url({ protocol: /^https?$/ })
  .nullable()
  .openapi({ description: "The number's Flow data endpoint; null removes it" })

/** Checked per source with a sentence naming the field (http/source-entry.ts); the schema only documents them. */
const SourceIn = {
  source: Source.optional(),
  account: z.string().nullable().optional().openapi({ description: '1 to 64 letters, digits or _; names the credentials `<SECRET>_<ACCOUNT>`' }),
  phone_number_id: z.string().nullable().optional().openapi({ description: "meta: Meta's numeric phone number id; aws: phone-number-id-… or its ARN" }),
  region: z.string().nullable().optional().openapi({ description: 'aws: the region of the linked number, e.g. eu-west-1' }),
}
const labels = labelList

export const PutNumberBody = z
  .object({ ...SourceIn, sid: sid.optional(), pod: z.enum(POD_SETTINGS).optional(), endpoint_url: endpointUrl.optional(), labels: labels.optional() })
  .openapi('PutNumber')

export const MuteBody = z
  .object({
    until: z.string().openapi({ description: 'ISO time, future, at most 30 days ahead' }),
    reason: z.string().max(200).optional(),
  })
  .openapi('Mute')

export const MuteResult = z.object({ phone: z.string(), muted: MuteSchema.unwrap() }).openapi('MuteResult')

export const PutNumberResult = WatchedSchema.extend({
  watching: z.literal(true),
  endpoint_url: z.string().nullable().optional(),
  warnings: z.array(z.string()),
}).openapi('WatchedNumber')

export const DeleteNumberResult = z.object({ phone: z.string(), watching: z.literal(false), history: z.string() })

export const ImportEntry = z.object({
  phone: z.string().regex(PHONE_PATTERN),
  ...SourceIn,
  sid: sid.optional(),
  pod: z.enum(POD_SETTINGS).default('auto'),
  endpoint_url: endpointUrl.optional(),
  labels: labels.optional(),
})
export const ImportBody = z.object({ numbers: z.array(ImportEntry).min(1).max(MAX_IMPORT_ENTRIES) }).openapi('NumbersImport')
export const ImportCsv = z.string().openapi({
  description: `RFC 4180 CSV whose header names its columns in any order (${CSV_COLUMNS.join(',')}; phone required; labels separated by |); up to ${MAX_IMPORT_ENTRIES} rows`,
})
export const ImportResult = z.object({ added: z.number().int(), changed: z.number().int(), unchanged: z.number().int() }).openapi('NumbersImportResult')

export const ProbeResult = z
  .object({
    phone: z.string(),
    outcome: z.enum(PROBE_OUTCOMES),
    http_status: z.number().int().nullable(),
    latency_ms: z.number(),
    kid: z.string(),
    url: z.string().openapi({ description: 'The endpoint without its query string' }),
    signed: z.boolean(),
    inconclusive: z.boolean(),
    probed_at: z.string(),
    events: z.array(z.string()),
  })
  .openapi('ProbeResult')

const PingResultSchema = z
  .object({
    configured: z.boolean(),
    ok: z.boolean(),
    status: z.number().int().nullable(),
    error: z.string().nullable(),
    event_id: z.string().nullable(),
  })
  .openapi('PingResult')

export const NotifyTestSchema = z
  .object({
    ok: z.boolean(),
    message: z.string().optional(),
    channels: z.object({ webhook: PingResultSchema, slack: PingResultSchema }).catchall(PingResultSchema),
  })
  .openapi('NotifyTestResult')
