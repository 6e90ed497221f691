// Schemas of POST/GET /api/sync: a Stripe backfill run and its progress.
import { z } from '@hono/zod-openapi';

const timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-01T12:00:00.000Z' });

export const SyncRunSchema = z
  .object({
    id: z.string(),
    state: z.enum(['running', 'succeeded', 'failed']),
    phase: z
      .enum(['customers', 'invoices', 'done'])
      .openapi({ description: 'what is being paged: customers first, then invoices' }),
    cursor: z
      .string()
      .nullable()
      .openapi({ description: 'last Stripe object applied in this phase; a resumed run continues after it' }),
    counts: z.object({
      customers: z.number().int(),
      invoices: z.number().int(),
      pages: z.number().int(),
      errors: z.number().int().openapi({ description: 'failed API attempts (rate limits, server errors), retried or not' }),
    }),
    error: z.string().nullable(),
    resumed_from: z.string().nullable().openapi({ description: 'the unfinished run this one continued' }),
    started_at: timestamp,
    heartbeat_at: timestamp,
    finished_at: timestamp.nullable(),
  })
  .openapi('SyncRun');

export type SyncRunResponse = z.infer<typeof SyncRunSchema>;

/** GET /api/sync before the account's first run in this mode: nothing imported yet. */
export const SyncNeverRunSchema = z
  .object({ state: z.literal('never_run') })
  .openapi('SyncNeverRun', { description: 'no backfill has run for this account and mode yet' });

export const SyncStatusSchema = z.union([SyncRunSchema, SyncNeverRunSchema]).openapi('SyncStatus');

export type SyncStatusResponse = z.infer<typeof SyncStatusSchema>;
