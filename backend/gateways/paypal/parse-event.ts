// PayPal webhook payload -> what the ledger needs, with amounts in minor units. Pure: the webhook
// route runs it before storing (a malformed event is a 400, nothing stored) and the processor runs
// it again on the stored payload (also on replay). PayPal marks no field required, so only the
// fields used are validated.
import { z } from 'zod';
import { invalid } from '../../domain/errors.js';
import { MAX_ID_LENGTH } from '../../domain/event-limits.js';
import { normalizeCurrency, toMinorUnits } from '../../domain/money.js';

const time = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a timestamp')
  .transform((s) => new Date(s));
const id = z.string().min(1).max(MAX_ID_LENGTH);
const link = z.object({ href: z.string(), rel: z.string() });

export const EnvelopeSchema = z.object({
  id,
  event_type: z.string().min(1).max(MAX_ID_LENGTH),
  create_time: time,
  resource_type: z.string().optional(),
  resource: z.record(z.string(), z.unknown()),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

export interface Money {
  amount: number;
  currency: string;
}

export interface SubscriptionState {
  id: string;
  legacy: boolean;
  /** upper case: APPROVAL_PENDING, APPROVED, ACTIVE, SUSPENDED, CANCELLED, EXPIRED */
  status: string;
  plan_id: string | null;
  payer_id: string | null;
  custom_id: string | null;
  outstanding: Money | null;
  /** what the failed payment asked for (PAYMENT.FAILED), when no outstanding balance is given */
  last_failed: (Money & { time: Date | null; reason: string | null }) | null;
  failed_payments_count: number;
  /** newest of update_time / status_update_time (else the event time): orders the states */
  state_time: Date;
}

export interface PaymentState {
  source: 'sale' | 'capture';
  id: string;
  outcome: 'completed' | 'pending' | 'denied';
  money: Money;
  tax: number;
  subscription_id: string | null;
  custom_id: string | null;
  number: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface RefundRecord {
  id: string;
  /** the sale or capture refunded */
  payment_id: string;
  money: Money;
  at: Date;
}

export interface PaypalInvoice {
  id: string;
  status: string;
  number: string | null;
  reference: string | null;
  currency: string;
  total: number;
  tax: number;
  amount_paid: number;
  amount_remaining: number;
  amount_refunded: number;
  due_date: Date | null;
  hosted_url: string | null;
  created_at: Date;
  updated_at: Date;
  /** the invoice's items: amount = quantity × unit amount, minor units */
  items: { name: string | null; quantity: number | null; amount: number }[];
}

export type PaypalAction =
  | { kind: 'subscription'; subscription: SubscriptionState }
  | { kind: 'payment'; payment: PaymentState }
  | { kind: 'refund'; refund: RefundRecord }
  | { kind: 'invoice'; invoice: PaypalInvoice }
  | { kind: 'ignored' };

export interface ParsedEvent {
  envelope: Envelope;
  action: PaypalAction;
  /** the resource's own id, for the event log */
  object_id: string | null;
  /** the payer, when the event names one */
  customer_id: string | null;
}

export const SUBSCRIPTION_EVENTS = new Set(
  ['CREATED', 'ACTIVATED', 'UPDATED', 'SUSPENDED', 'CANCELLED', 'EXPIRED', 'RE-ACTIVATED', 'PAYMENT.FAILED'].map(
    (s) => `BILLING.SUBSCRIPTION.${s}`,
  ),
);
const PAYMENT_OUTCOMES: Record<string, PaymentState['outcome']> = {
  'PAYMENT.SALE.COMPLETED': 'completed',
  'PAYMENT.SALE.PENDING': 'pending',
  'PAYMENT.SALE.DENIED': 'denied',
  'PAYMENT.CAPTURE.COMPLETED': 'completed',
  'PAYMENT.CAPTURE.PENDING': 'pending',
  'PAYMENT.CAPTURE.DECLINED': 'denied',
};
const REFUND_EVENTS = new Set([
  'PAYMENT.SALE.REFUNDED',
  'PAYMENT.SALE.REVERSED',
  'PAYMENT.CAPTURE.REFUNDED',
  'PAYMENT.CAPTURE.REVERSED',
]);
export const INVOICE_EVENTS = new Set(
  ['CREATED', 'SENT', 'SCHEDULED', 'UPDATED', 'PAID', 'CANCELLED', 'REFUNDED'].map((s) => `INVOICING.INVOICE.${s}`),
);

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw invalid(`PayPal ${what}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return r.data;
}

/** A v2 amount {currency_code, value}; v1 uses {currency, total} (or {currency, value} for fees). */
const amountV2 = z.object({ currency_code: z.string(), value: z.string() });
const money = (value: string, currency: string): Money => {
  const cur = normalizeCurrency(currency);
  return { amount: toMinorUnits(value, cur), currency: cur };
};
const positive = (m: Money): Money => ({ ...m, amount: Math.abs(m.amount) });
// Ids and references end up in indexed columns: bounded like the event's own ids.
const optionalString = z.string().max(MAX_ID_LENGTH).nullish().transform((s) => (s ? s : null));

// --- subscriptions ------------------------------------------------------------------------------

const SubscriptionSchema = z.object({
  id,
  status: z.string().min(1),
  status_update_time: time.optional(),
  update_time: time.optional(),
  plan_id: optionalString,
  custom_id: optionalString,
  subscriber: z.object({ payer_id: optionalString }).nullish(),
  billing_info: z
    .object({
      outstanding_balance: amountV2.nullish(),
      failed_payments_count: z.coerce.number().int().min(0).nullish(),
      last_failed_payment: z
        .object({ amount: amountV2, time: time.optional(), reason_code: z.string().max(255).nullish() })
        .nullish(),
    })
    .nullish(),
});

const AgreementSchema = z.object({
  id,
  state: z.string().min(1),
  update_time: time.optional(),
  payer: z.object({ payer_info: z.object({ payer_id: optionalString }).nullish() }).nullish(),
  plan: z.object({ curr_code: z.string().optional() }).nullish(),
  agreement_details: z
    .object({
      outstanding_balance: z.object({ value: z.string(), currency: z.string().optional() }).nullish(),
      failed_payment_count: z.coerce.number().int().min(0).nullish(),
    })
    .nullish(),
});

const latest = (...times: (Date | undefined)[]) =>
  times.filter((t): t is Date => !!t).sort((a, b) => b.getTime() - a.getTime())[0];

function parseSubscription(env: Envelope): SubscriptionState {
  if (env.resource_type?.toLowerCase() === 'agreement') {
    // Legacy billing agreements: same event names, v1 shape.
    const a = parse(AgreementSchema, env.resource, 'agreement');
    const balance = a.agreement_details?.outstanding_balance;
    const currency = balance?.currency ?? a.plan?.curr_code;
    if (balance && !currency) throw invalid('PayPal agreement: outstanding_balance has no currency');
    return {
      id: a.id,
      legacy: true,
      status: a.state.toUpperCase(),
      plan_id: null,
      payer_id: a.payer?.payer_info?.payer_id ?? null,
      custom_id: null,
      outstanding: balance ? money(balance.value, currency!) : null,
      last_failed: null,
      failed_payments_count: a.agreement_details?.failed_payment_count ?? 0,
      state_time: a.update_time ?? env.create_time,
    };
  }
  const s = parse(SubscriptionSchema, env.resource, 'subscription');
  const balance = s.billing_info?.outstanding_balance;
  const failed = s.billing_info?.last_failed_payment;
  return {
    id: s.id,
    legacy: false,
    status: s.status.toUpperCase(),
    plan_id: s.plan_id,
    payer_id: s.subscriber?.payer_id ?? null,
    custom_id: s.custom_id,
    outstanding: balance ? money(balance.value, balance.currency_code) : null,
    last_failed: failed
      ? { ...money(failed.amount.value, failed.amount.currency_code), time: failed.time ?? null, reason: failed.reason_code ?? null }
      : null,
    failed_payments_count: s.billing_info?.failed_payments_count ?? 0,
    state_time: latest(s.update_time, s.status_update_time) ?? env.create_time,
  };
}

// --- sales (v1) and captures (Orders v2) -------------------------------------------------------

const SaleSchema = z.object({
  id,
  billing_agreement_id: optionalString,
  custom: optionalString,
  invoice_number: optionalString,
  amount: z.object({ total: z.string(), currency: z.string(), details: z.object({ tax: z.string().optional() }).nullish() }),
  create_time: time.optional(),
  update_time: time.optional(),
});

const CaptureSchema = z.object({
  id,
  custom_id: optionalString,
  invoice_id: optionalString,
  amount: amountV2,
  create_time: time.optional(),
  update_time: time.optional(),
});

function parsePayment(env: Envelope, outcome: PaymentState['outcome']): PaymentState {
  if (env.event_type.startsWith('PAYMENT.SALE.')) {
    const s = parse(SaleSchema, env.resource, 'sale');
    const m = money(s.amount.total, s.amount.currency);
    if (m.amount < 0) throw invalid('PayPal sale: amount.total is negative');
    const created = s.create_time ?? env.create_time;
    return {
      source: 'sale',
      id: s.id,
      outcome,
      money: m,
      tax: s.amount.details?.tax ? toMinorUnits(s.amount.details.tax, m.currency) : 0,
      subscription_id: s.billing_agreement_id,
      custom_id: s.custom,
      number: s.invoice_number,
      created_at: created,
      updated_at: s.update_time ?? created,
    };
  }
  const c = parse(CaptureSchema, env.resource, 'capture');
  const m = money(c.amount.value, c.amount.currency_code);
  if (m.amount < 0) throw invalid('PayPal capture: amount.value is negative');
  const created = c.create_time ?? env.create_time;
  return {
    source: 'capture',
    id: c.id,
    outcome,
    money: m,
    tax: 0,
    subscription_id: null,
    custom_id: c.custom_id,
    number: c.invoice_id,
    created_at: created,
    updated_at: c.update_time ?? created,
  };
}

// --- refunds and reversals ---------------------------------------------------------------------

const RefundSchema = z.object({
  id,
  sale_id: optionalString,
  amount: z.union([
    z.object({ total: z.string(), currency: z.string() }).transform((a) => ({ value: a.total, currency: a.currency })),
    amountV2.transform((a) => ({ value: a.value, currency: a.currency_code })),
  ]),
  links: z.array(link).nullish(),
  create_time: time.optional(),
  update_time: time.optional(),
});

function parseRefund(env: Envelope): RefundRecord {
  const r = parse(RefundSchema, env.resource, 'refund');
  // A refund names its sale (v1 sale_id) or links "up" to its capture (v2); a reversal may instead
  // carry the reversed payment itself, which then counts as refunded in full.
  const up = r.links?.find((l) => l.rel === 'up' && /\/captures\/[^/?#]+/.test(l.href));
  const paymentId = r.sale_id ?? (up ? /\/captures\/([^/?#]+)/.exec(up.href)![1] : null);
  return {
    id: paymentId ? r.id : `reversal:${r.id}`,
    payment_id: paymentId ?? r.id,
    money: positive(money(r.amount.value, r.amount.currency)),
    at: r.update_time ?? r.create_time ?? env.create_time,
  };
}

// --- invoices (Invoicing v2) -------------------------------------------------------------------

const InvoiceSchema = z.object({
  id,
  status: z.string().min(1),
  detail: z
    .object({
      invoice_number: optionalString,
      reference: optionalString,
      currency_code: z.string().optional(),
      invoice_date: z.string().optional(),
      payment_term: z.object({ term_type: z.string().optional(), due_date: z.string().optional() }).nullish(),
      metadata: z
        .object({ create_time: time.optional(), last_update_time: time.optional(), recipient_view_url: z.string().optional() })
        .nullish(),
    })
    .nullish(),
  amount: z
    .object({
      currency_code: z.string(),
      value: z.string(),
      breakdown: z.object({ tax_total: amountV2.nullish() }).nullish(),
    })
    .nullish(),
  due_amount: amountV2.nullish(),
  payments: z.object({ paid_amount: amountV2.nullish() }).nullish(),
  refunds: z.object({ refund_amount: amountV2.nullish() }).nullish(),
  links: z.array(link).nullish(),
  items: z
    .array(z.object({ name: optionalString, quantity: z.string().max(32).nullish(), unit_amount: amountV2.nullish() }))
    .max(1000)
    .nullish(),
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const day = (s: string | undefined) => (s && DATE.test(s) && !Number.isNaN(Date.parse(s)) ? new Date(`${s}T00:00:00Z`) : null);

/** The due date PayPal states, else the one its payment term implies (NET_30 = invoice date + 30 days). */
function dueDate(detail: z.infer<typeof InvoiceSchema>['detail']): Date | null {
  const stated = day(detail?.payment_term?.due_date);
  if (stated) return stated;
  const issued = day(detail?.invoice_date);
  const term = detail?.payment_term?.term_type ?? '';
  if (!issued) return null;
  if (term === 'DUE_ON_RECEIPT') return issued;
  const net = /^NET_(\d{1,3})$/.exec(term);
  return net ? new Date(issued.getTime() + Number(net[1]) * 86_400_000) : null;
}

const PAYER_VIEW_RELS = new Set(['payer-view', 'recipient-view', 'payer_view']);

function parseInvoice(env: Envelope): PaypalInvoice {
  // Nested under resource.invoice in the classic payload; the resource itself in the flat one.
  const raw = (env.resource as { invoice?: unknown }).invoice ?? env.resource;
  const inv = parse(InvoiceSchema, raw, 'invoice');
  const currency = inv.amount?.currency_code ?? inv.detail?.currency_code;
  if (!currency) throw invalid('PayPal invoice: no currency (amount.currency_code or detail.currency_code)');
  const cur = normalizeCurrency(currency);
  const minor = (a: { value: string; currency_code: string } | null | undefined) => {
    if (!a) return null;
    if (normalizeCurrency(a.currency_code) !== cur) throw invalid(`PayPal invoice: amounts in ${a.currency_code} and ${currency}`);
    return toMinorUnits(a.value, cur);
  };
  const status = inv.status.toUpperCase();
  const total = inv.amount ? toMinorUnits(inv.amount.value, cur) : 0;
  const paidStatus = ['PAID', 'MARKED_AS_PAID', 'REFUNDED', 'PARTIALLY_REFUNDED', 'MARKED_AS_REFUNDED'].includes(status);
  const paid = minor(inv.payments?.paid_amount) ?? (paidStatus ? total : 0);
  const fullyRefunded = status === 'REFUNDED' || status === 'MARKED_AS_REFUNDED';
  const created = inv.detail?.metadata?.create_time ?? day(inv.detail?.invoice_date) ?? env.create_time;
  return {
    id: inv.id,
    status,
    number: inv.detail?.invoice_number ?? null,
    reference: inv.detail?.reference ?? null,
    currency: cur,
    total,
    tax: minor(inv.amount?.breakdown?.tax_total) ?? 0,
    amount_paid: paid,
    amount_remaining: minor(inv.due_amount) ?? Math.max(total - paid, 0),
    amount_refunded: minor(inv.refunds?.refund_amount) ?? (fullyRefunded ? paid : 0),
    due_date: dueDate(inv.detail),
    hosted_url: inv.detail?.metadata?.recipient_view_url ?? inv.links?.find((l) => PAYER_VIEW_RELS.has(l.rel))?.href ?? null,
    created_at: created,
    updated_at: inv.detail?.metadata?.last_update_time ?? env.create_time,
    items: (inv.items ?? []).map((item) => {
      const quantity = Number(item.quantity ?? '1');
      const unit = minor(item.unit_amount) ?? 0;
      return {
        name: item.name,
        quantity: Number.isInteger(quantity) ? quantity : null,
        amount: Number.isFinite(quantity) ? Math.round(unit * quantity) : unit,
      };
    }),
  };
}

// --- the event --------------------------------------------------------------------------------

/** Parses and validates a PayPal event; throws a domain `invalid` error (400) when it cannot be used. */
export function parsePaypalEvent(payload: unknown): ParsedEvent {
  const envelope = parse(EnvelopeSchema, payload, 'event');
  const type = envelope.event_type;
  const resourceId = typeof envelope.resource.id === 'string' ? envelope.resource.id : null;
  let action: PaypalAction;
  if (SUBSCRIPTION_EVENTS.has(type)) action = { kind: 'subscription', subscription: parseSubscription(envelope) };
  else if (PAYMENT_OUTCOMES[type]) action = { kind: 'payment', payment: parsePayment(envelope, PAYMENT_OUTCOMES[type]) };
  else if (REFUND_EVENTS.has(type)) action = { kind: 'refund', refund: parseRefund(envelope) };
  else if (INVOICE_EVENTS.has(type)) action = { kind: 'invoice', invoice: parseInvoice(envelope) };
  else action = { kind: 'ignored' };

  const objectId =
    action.kind === 'subscription' ? action.subscription.id
    : action.kind === 'payment' ? action.payment.id
    : action.kind === 'invoice' ? action.invoice.id
    : resourceId;
  return {
    envelope,
    action,
    object_id: objectId,
    customer_id: action.kind === 'subscription' ? action.subscription.payer_id : null,
  };
}
