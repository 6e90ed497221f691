// Schemas of GET /api/collections. The inferred response type is part of the app's contract.
import { z } from '@hono/zod-openapi';
import { AGING_BUCKETS } from '../../domain/past-due-rule.js';
import { RECOVERY_CAUSES } from '../../domain/collections.js';
import { StatsQuery } from '../ledger-schemas.js';

const timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-01T12:00:00.000Z' });
const money = z.number().int().openapi({ description: 'integer amount in the minor unit of `currency`' });
const figure = z.object({ count: z.number().int(), amount: money });

/** tenant_id, from (inclusive) and to (exclusive): the stats query. */
export const CollectionsQuery = StatsQuery;

export const CollectionsSchema = z
  .object({
    from: timestamp.openapi({ description: 'window start (inclusive); default `to` minus 30 days' }),
    to: timestamp.openapi({ description: 'window end (exclusive); default now' }),
    window_days: z.number().openapi({ description: '(to - from) in days, one decimal' }),
    as_of: timestamp.openapi({ description: 'the clock the overdue figures were derived at' }),
    currencies: z.array(
      z.object({
        currency: z.string(),
        dso_days: z.number().nullable().openapi({
          description: 'receivables / credit_sales × window_days, one decimal; null without credit sales in the window',
        }),
        receivables: money.openapi({
          description:
            'owed at the window end: invoices issued before `to` and not paid, voided or marked uncollectible by then; ' +
            'amount_remaining if still open, else amount_due',
        }),
        credit_sales: money.openapi({
          description: 'amount_due of invoices issued in the window (created_at; drafts, deleted and void left out)',
        }),
        overdue_amount: money.openapi({ description: 'amount_remaining of invoices past due now (any window)' }),
        open_amount: money.openapi({ description: 'amount_remaining of every open invoice now' }),
        overdue_ratio: z.number().nullable().openapi({
          description: 'overdue_amount / open_amount, four decimals; null without open invoices',
        }),
        average_days_to_pay: z.number().nullable().openapi({
          description: 'mean of (paid_at − created_at) in days over invoices paid in the window, one decimal',
        }),
        paid_count: z.number().int().openapi({ description: 'invoices paid in the window' }),
        recovered: z
          .array(z.object({ cause: z.enum(RECOVERY_CAUSES), count: z.number().int(), amount: money }))
          .openapi({
            description:
              'invoices paid in the window after a failed payment, by what preceded the payment (first match): ' +
              'outside (paid out of band), admin_retry (a succeeded retry from the app after the failure), ' +
              'reminder (a customer reminder after the failure, within 7 days before the payment), paypal, ' +
              'automatic_retry (Stripe’s own retry); amount = amount_paid; every cause listed',
          }),
        tenants: z
          .array(
            z.object({
              tenant: z.object({ id: z.string(), name: z.string() }).nullable().openapi({ description: 'null: invoices without a tenant' }),
              overdue_amount: money,
              buckets: z.object(
                Object.fromEntries(AGING_BUCKETS.map((b) => [b, figure])) as Record<(typeof AGING_BUCKETS)[number], typeof figure>,
              ),
            }),
          )
          .openapi({ description: 'the 10 tenants with most overdue now, most first, with their aging buckets (days past due)' }),
      }),
    ),
  })
  .openapi('Collections');

export type CollectionsResponse = z.infer<typeof CollectionsSchema>;
