/** @module The /healthz body: flowkey's runs, and the fleet summary (the ledger's FleetHealth). */
import * as z from './z'
import { ProblemSchema } from './common'
import { ATTENTION_REASONS, FLEET_EXAMPLES } from '../../rules/attention'

export const LastRunSchema = z
  .object({
    id: z.string(),
    trigger: z.enum(['cron', 'manual']),
    cron: z.string().nullable(),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    batches: z.number().int(),
    reported: z.number().int(),
    dead: z.number().int(),
    checked: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    events: z.number().int(),
    skipped: z.number().int().openapi({
      description: 'Numbers not queued again because their check from an earlier run was still queued (0 batches and 0 checked: the whole run was skipped)',
    }),
    kv_writes: z.number().int(),
    max_subrequests: z.number().int().nullable(),
    max_in_flight: z.number().int().nullable(),
  })
  .openapi('Run')

export const FleetSummarySchema = z
  .object({
    attention: z.number().int().openapi({ description: 'Numbers needing attention: with at least one reason below (a muted number has none)' }),
    reasons: z.object(Object.fromEntries(ATTENTION_REASONS.map((r) => [r, z.number().int()])) as Record<(typeof ATTENTION_REASONS)[number], z.ZodNumber>),
    examples: z
      .array(z.object({ phone: z.string(), reasons: z.array(z.enum(ATTENTION_REASONS)) }))
      .openapi({ description: `Up to ${FLEET_EXAMPLES} of them, so an alert names where to look` }),
    notifications: z.object({
      needing_attention: z
        .array(z.string())
        .openapi({ description: 'Channels needing attention: the last delivery failed, or an event was given up in the last 24 hours' }),
      failing_channels: z.array(z.string()).openapi({ description: 'Channels whose last delivery failed (webhook, slack, webhook:<label>, slack:<label>)' }),
      pending: z.number().int(),
      dead_letters: z.number().int(),
    }),
  })
  .openapi('FleetSummary')

export const HealthSchema = z
  .object({
    ok: z.boolean(),
    last_run_at: z.string().nullable(),
    last_run: LastRunSchema.nullable(),
    label: z.string().optional().openapi({ description: 'With ?label=: numbers and fleet count only the numbers carrying it' }),
    draining: z
      .object({ run_id: z.string(), started_at: z.string(), batches: z.number().int(), reported: z.number().int(), last_report_at: z.string().nullable() })
      .nullable()
      .openapi({ description: 'The oldest run still under way: while its batches keep reporting, a run longer than the stale limit is not stale' }),
    numbers: z.number().int(),
    fleet: FleetSummarySchema,
    problems: z.array(ProblemSchema),
    error: z.object({ code: z.enum(['misconfigured', 'stale', 'no_check_yet', 'needs_attention']), message: z.string() }).optional(),
  })
  .openapi('Health')
