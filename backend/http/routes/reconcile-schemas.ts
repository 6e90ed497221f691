// Schemas of POST/GET /api/reconcile: reconciliation runs (missed events repaired from the
// gateways' event lists). The inferred response types are part of the app's contract.
import { z } from '@hono/zod-openapi';
import { ListQuery } from '../schemas.js';

const timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-01T12:00:00.000Z' });

export const PaypalReconciliationSchema = z
  .object({
    reconciled: z.boolean(),
    note: z.string().nullable().openapi({ example: 'not reconciled (no PayPal API credentials)' }),
  })
  .openapi('PaypalReconciliation');

export const ReconcileRunSchema = z
  .object({
    id: z.string(),
    trigger: z.enum(['schedule', 'manual']),
    state: z.enum(['running', 'succeeded', 'failed']),
    since: timestamp.openapi({ description: "the created[gt] bound of Stripe's events list (watermark minus 5 minutes, at most 30 days back)" }),
    watermark: timestamp.nullable().openapi({
      description: 'newest event time listed, saved by a succeeded run; the next run starts from it (null: failed, or no events)',
    }),
    events_seen: z.number().int().openapi({ description: 'Stripe events of the types the service handles, listed in the window' }),
    events_repaired: z.number().int().openapi({ description: 'of those, events the service never received, now stored and applied' }),
    pages: z.number().int(),
    errors: z.number().int().openapi({ description: 'failed API attempts (rate limits, server errors), retried or not' }),
    error: z.string().nullable(),
    paypal: PaypalReconciliationSchema,
    started_at: timestamp,
    heartbeat_at: timestamp,
    finished_at: timestamp.nullable(),
  })
  .openapi('ReconcileRun');

export const ReconcileListSchema = z
  .object({
    data: z.array(ReconcileRunSchema),
    next_cursor: z.string().nullable(),
    paypal: PaypalReconciliationSchema.openapi({ description: 'whether PayPal events are reconciled for this account' }),
  })
  .openapi('ReconcileRuns');

export const ReconcileListQuery = ListQuery;

export type ReconcileRunResponse = z.infer<typeof ReconcileRunSchema>;
export type ReconcileListResponse = z.infer<typeof ReconcileListSchema>;
