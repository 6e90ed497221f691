// Schemas of the past-due API: aging per currency, the past-due invoices, and a scan's summary.
import { z } from '@hono/zod-openapi';
import { AGING_BUCKETS } from '../domain/past-due-rule.js';
import { InvoiceSchema } from './ledger-schemas.js';
import { ListQuery } from './schemas.js';

const timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-01T12:00:00.000Z' });

const AgingFigureSchema = z
  .object({
    count: z.number().int(),
    amount: z.number().int().openapi({ description: 'sum of amount_remaining, minor units of the currency' }),
  })
  .openapi('AgingFigure');

export const CurrencyAgingSchema = z
  .object({
    currency: z.string(),
    buckets: z.object(Object.fromEntries(AGING_BUCKETS.map((b) => [b, AgingFigureSchema])) as Record<(typeof AGING_BUCKETS)[number], typeof AgingFigureSchema>),
    total: AgingFigureSchema,
  })
  .openapi('CurrencyAging');

export const PastDueInvoiceSchema = InvoiceSchema.extend({
  state: z.enum(['past_due', 'failed']).openapi({ description: '`failed` when its latest automatic payment failed' }),
  past_due: z.literal(true),
  past_due_since: timestamp.openapi({
    description: 'when it became past due: its failed payment, or 00:00 UTC of the day after its due date plus the grace days',
  }),
  payment_failed: z.boolean(),
}).openapi('PastDueInvoice');

export const PastDueQuery = ListQuery.extend({
  tenant_id: z.string().uuid('tenant_id must be a tenant id').optional(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'currency is a 3-letter ISO code')
    .transform((c) => c.toLowerCase())
    .optional(),
});

export const PastDueResponseSchema = z
  .object({
    currencies: z.array(CurrencyAgingSchema),
    data: z.array(PastDueInvoiceSchema),
    next_cursor: z.string().nullable(),
  })
  .openapi('PastDue');

const countsOf = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.number().int()])) as Record<K, z.ZodNumber>);

export const ScanResultSchema = z
  .object({
    as_of: timestamp,
    scope: z.object({ account_id: z.string(), livemode: z.boolean() }).nullable(),
    entered: z.number().int().openapi({ description: 'invoices that became past due' }),
    cleared: z.number().int().openapi({ description: 'invoices no longer past due' }),
    notifications_created: countsOf(['admin', 'customer'] as const),
    deliveries: countsOf(['delivered', 'retrying', 'failed', 'cancelled'] as const),
    digests: countsOf(['created', 'delivered', 'retrying', 'failed', 'cancelled'] as const).openapi({
      description: 'daily digests claimed by this scan, and digest deliveries',
    }),
    duration_ms: z.number().int(),
  })
  .openapi('ScanResult');

export type PastDueResponse = z.infer<typeof PastDueResponseSchema>;
export type ScanResult = z.infer<typeof ScanResultSchema>;
