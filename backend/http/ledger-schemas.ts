// Request and response schemas of the ledger's read API (invoices, events, stats). Their inferred
// types are imported type-only by the Stripe App, so the exported type names are part of the contract.
import { z } from '@hono/zod-openapi';
import { INVOICE_STATES } from '../domain/past-due-rule.js';
import { INVOICE_STATUS_FILTERS, INVOICE_STATUSES } from '../domain/invoices.js';
import { inDateWindow } from '../domain/query-input.js';
import { GatewaySchema, ListQuery } from './schemas.js';

const timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-01T12:00:00.000Z' });
const money = z.number().int().openapi({ description: 'integer amount in the minor unit of `currency`' });
const currency = z.string().openapi({ description: 'lowercase ISO 4217 code', example: 'usd' });

// --- query parameters -------------------------------------------------------------------------

const uuid = z.uuid({ error: 'must be a uuid' });

/**
 * A date (YYYY-MM-DD, midnight UTC) or a date-time with Z or an offset, parsed to a Date, inside
 * the accepted window 1970-01-01T00:00:00Z .. 9999-12-31T00:00:00Z.
 */
export const instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'must be an ISO 8601 date (YYYY-MM-DD) or date-time with offset',
  })
  .transform((s) => new Date(s))
  .refine(inDateWindow, 'must be between 1970-01-01 and 9999-12-31T00:00:00Z')
  .openapi({
    type: 'string',
    example: '2026-01-01',
    description: 'ISO 8601 date or date-time with offset, from 1970-01-01T00:00:00Z through 9999-12-31T00:00:00Z',
  });

const dateRange = {
  from: instant.optional().openapi({ description: 'inclusive lower bound (ISO date or date-time)' }),
  to: instant.optional().openapi({ description: 'exclusive upper bound (ISO date or date-time)' }),
};

const fromNotAfterTo = (v: { from?: Date; to?: Date }, ctx: z.RefinementCtx) => {
  if (v.from && v.to && v.from > v.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
  }
};

export const InvoiceStatusFilter = z.enum(INVOICE_STATUS_FILTERS);

export const InvoiceListQuery = ListQuery.extend({
  tenant_id: uuid.optional(),
  status: InvoiceStatusFilter.optional().openapi({
    description:
      '`open` lists every open invoice, past due or failed or not; `past_due` every past-due invoice, failed ones ' +
      'included; `failed` only the open ones whose latest automatic payment failed',
  }),
  gateway: GatewaySchema.optional(),
  ...dateRange,
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .openapi({
      description:
        'case-insensitive substring of the number, external id or customer id; a whole Stripe customer id (cus_…) ' +
        'finds exactly that customer\'s invoices, a whole Stripe invoice id (in_…) exactly that invoice',
    }),
}).superRefine(fromNotAfterTo);

export const EventListQuery = ListQuery.extend({
  gateway: GatewaySchema.optional(),
  type: z
    .string()
    .regex(/^[\w.-]{1,100}$/, 'an event type is letters, digits, "_", "." or "-"')
    .optional()
    .openapi({ example: 'invoice.paid' }),
  tenant_id: uuid.optional(),
  ...dateRange,
  processed: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((v) => v === 'true')
    .optional()
    .openapi({
      type: 'string',
      enum: ['true', 'false'],
      description: '`true`: applied (state processed or ignored); `false`: not applied yet (pending) or failed (see `error`)',
    }),
}).superRefine(fromNotAfterTo);

export const StatsQuery = z
  .object({ tenant_id: uuid.optional(), ...dateRange })
  .superRefine(fromNotAfterTo);

export const IdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

// --- responses --------------------------------------------------------------------------------

const TenantRefSchema = z.object({ id: z.string(), name: z.string() }).nullable();
const statusEnum = z.enum(INVOICE_STATUSES);
export const InvoiceStateSchema = z
  .enum(INVOICE_STATES)
  .openapi({
    description:
      'the one badge the app shows, derived when read: `failed` (open, latest automatic payment failed, also ' +
      '`past_due: true`) wins over `past_due` (open after its due date plus the grace days), else the status',
  });

export const InvoiceSchema = z
  .object({
    id: z.string(),
    gateway: GatewaySchema,
    external_id: z.string(),
    number: z.string().nullable(),
    tenant: TenantRefSchema,
    customer_id: z.string().nullable(),
    currency,
    total: money,
    tax: money,
    amount_due: money,
    amount_paid: money,
    amount_remaining: money,
    amount_refunded: money,
    status: statusEnum.openapi({ description: 'the gateway status; a past-due or failed invoice is `open`' }),
    state: InvoiceStateSchema,
    past_due: z.boolean().openapi({ description: 'past due now (failed ones included), derived when read' }),
    days_past_due: z.number().int().openapi({
      description:
        'whole UTC calendar days since the due date, or since the failed payment when that came first; 0 when not past due',
    }),
    due_date: timestamp.nullable(),
    created_at: timestamp,
    hosted_url: z.string().nullable(),
    pdf_url: z.string().nullable(),
    dashboard_url: z.string().nullable().openapi({
      description: 'the invoice in the Stripe Dashboard (its /test/ path for test-mode data); null for PayPal',
    }),
  })
  .openapi('Invoice');

export const HistoryEntrySchema = z
  .object({
    from_status: z.string().nullable(),
    to_status: z.string().openapi({ description: 'an invoice status, or `past_due`' }),
    at: timestamp,
    source: z.string().openapi({ description: '`event:<id>`, `user:<id>` or `job:<name>`' }),
    note: z.string().nullable(),
  })
  .openapi('HistoryEntry');

export const InvoiceLineSchema = z
  .object({
    description: z.string().nullable(),
    quantity: z.number().int().nullable(),
    amount: money.openapi({ description: 'minor units; negative for credits and discounts' }),
    currency,
    period_start: timestamp.nullable(),
    period_end: timestamp.nullable(),
    kind: z.enum(['subscription', 'usage', 'fixed', 'adjustment', 'tax', 'item']).openapi({
      description:
        '`subscription` a recurring charge, `usage` a metered charge, `fixed` a one-off fee (invoice item), ' +
        '`adjustment` a proration, credit or discount, `tax` a tax amount, `item` anything else (e.g. PayPal items)',
    }),
  })
  .openapi('InvoiceLine');

const InvoiceEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  gateway: GatewaySchema,
  occurred_at: timestamp,
  processed: z.boolean(),
});

export const InvoiceDetailSchema = InvoiceSchema.extend({
  subscription_id: z.string().nullable(),
  collection_method: z.string().nullable(),
  attempt_count: z.number().int(),
  last_payment_error: z.string().nullable().openapi({
    description: 'why the latest automatic payment failed (the gateway\'s words), while the invoice is failed; else null',
  }),
  lines: z.array(InvoiceLineSchema).openapi({ description: 'line items in invoice order, then discounts and taxes' }),
  history: z.array(HistoryEntrySchema).openapi({ description: 'oldest first' }),
  events: z.array(InvoiceEventSchema).openapi({ description: 'the latest 20 events of the invoice, newest first' }),
}).openapi('InvoiceDetail');

const InvoiceRefSchema = z
  .object({
    id: z.string(),
    number: z.string().nullable(),
    total: money,
    currency,
    status: statusEnum,
    state: InvoiceStateSchema,
    past_due: z.boolean(),
  })
  .nullable();

export const EventSchema = z
  .object({
    id: z.string(),
    gateway: GatewaySchema,
    type: z.string(),
    event_id: z.string().openapi({ description: 'the gateway’s event id' }),
    tenant: TenantRefSchema,
    processed: z.boolean().openapi({ description: 'applied to the ledger: state processed or ignored' }),
    state: z.enum(['pending', 'processed', 'ignored', 'failed']).openapi({
      description:
        'pending: stored, not applied yet (or waiting to retry after an error); processed; ignored (a type the ledger ' +
        'does not use); failed: failed repeatedly, left for a replay',
    }),
    ignored: z.boolean().openapi({ description: 'stored but not acted on (an event type the ledger does not use)' }),
    error: z.string().nullable().openapi({ description: 'why processing failed; the event can be replayed' }),
    received_at: timestamp,
    occurred_at: timestamp,
    invoice: InvoiceRefSchema,
  })
  .openapi('Event');

export const EventDetailSchema = EventSchema.extend({
  object_id: z.string().nullable(),
  customer_id: z.string().nullable(),
  processed_at: timestamp.nullable(),
  payload: z.unknown().openapi({ description: 'the event as the gateway sent it' }),
}).openapi('EventDetail');

export const StatsSchema = z
  .object({
    currencies: z.array(
      z.object({
        currency,
        total_revenue: money.openapi({ description: 'sum of amount_paid of paid invoices' }),
        total_refunded: money.openapi({ description: 'sum of amount_refunded' }),
        pending_amount: money.openapi({ description: 'sum of amount_remaining of open invoices' }),
        invoice_count: z.number().int(),
      }),
    ),
    invoice_count: z.number().int().openapi({ description: 'invoices in scope, all currencies' }),
    monthly: z
      .array(z.object({ month: z.string().openapi({ example: '2026-03' }), currency, revenue: money }))
      .openapi({
        description:
          'amount_paid of paid invoices per calendar month (UTC) of their created_at, per currency: the 12 months ' +
          'ending with the month of `to` (or now), cut at `from`; every month listed for each currency with revenue',
      }),
  })
  .openapi('Stats');

export type InvoiceResponse = z.infer<typeof InvoiceSchema>;
export type InvoiceDetailResponse = z.infer<typeof InvoiceDetailSchema>;
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;
export type EventResponse = z.infer<typeof EventSchema>;
export type EventDetailResponse = z.infer<typeof EventDetailSchema>;
export type StatsResponse = z.infer<typeof StatsSchema>;
export type InvoiceListParams = z.input<typeof InvoiceListQuery>;
export type EventListParams = z.input<typeof EventListQuery>;
export type StatsParams = z.input<typeof StatsQuery>;
