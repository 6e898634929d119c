/** @module The /healthz body: flowkey's runs, and the fleet summary. */
import { z } from '@hono/zod-openapi'
import { ATTENTION_REASONS } from '../views/fleet'
import { ProblemSchema } from './common'

export const LastRunSchema = z
  .object({
    id: z.string(),
    trigger: z.enum(['cron', 'manual']),
    cron: z.string().nullable(),
    started_at: z.string(),
    finished_at: z.string(),
    interval_ms: z.number().int(),
    checked: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    events: z.number().int(),
    deferred: z.number().int(),
    cost: z.object({ kv_reads: z.number().int(), kv_writes: z.number().int(), subrequests: z.number().int() }),
  })
  .openapi('LastRun')

export const FleetSummarySchema = z
  .object({
    numbers: z.number().int(),
    checked: z.number().int(),
    healthy: z.number().int(),
    need_attention: z.number().int().openapi({ description: 'Numbers with at least one reason below' }),
    reasons: z.object(Object.fromEntries(ATTENTION_REASONS.map((r) => [r, z.number().int()])) as Record<(typeof ATTENTION_REASONS)[number], z.ZodNumber>),
    channels: z.object({
      configured: z.number().int(),
      failing: z.number().int(),
      pending: z.number().int(),
      dead_letters_recent: z.number().int().openapi({ description: 'Events given up on in the last 24 hours' }),
      dead_letters_total: z.number().int(),
    }),
  })
  .openapi('FleetSummary')

export const HealthSchema = z
  .object({
    ok: z.boolean(),
    last_run_at: z.string().nullable(),
    next_run_at: z.string().nullable(),
    last_run: LastRunSchema.nullable(),
    numbers: z.number().int(),
    problems: z.array(ProblemSchema),
    fleet: FleetSummarySchema,
    error: z.object({ code: z.enum(['misconfigured', 'stale', 'no_check_yet', 'needs_attention']), message: z.string() }).optional(),
  })
  .openapi('Health')
