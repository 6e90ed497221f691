// Stripe objects -> the gateway-neutral ledger: invoices, customers, and the refunds that count on
// the invoice they pay. Used by the webhook handlers and by the backfill.
import type Stripe from 'stripe';
import type { Db } from '../../db/client.js';
import type { Scope } from '../../domain/accounts.js';
import { resolveTenant, retenantCustomers, upsertCustomers, type Metadata } from '../../domain/customers.js';
import { INVOICE_STATUSES, type ChangeSource, type InvoiceSnapshot, type InvoiceStatus } from '../../domain/invoices.js';

export interface InvoiceFlags {
  payment_failed?: boolean;
  deleted?: boolean;
}

type Ref = string | { id: string } | null | undefined;

/** The id of a field that is either an id or an expanded object. */
export const idOf = (ref: Ref): string | null => (typeof ref === 'string' ? ref : (ref?.id ?? null));

/**
 * Fields of API versions before 2025-03-31 ("basil") that the current `stripe` types no longer
 * declare; webhook endpoints pinned to an older version still send them.
 */
interface LegacyInvoiceFields {
  subscription?: Ref;
  tax?: number | null;
  total_tax_amounts?: { amount: number }[] | null;
  charge?: Ref;
  payment_intent?: Ref;
  paid_out_of_band?: boolean;
}
interface LegacyChargeFields {
  invoice?: Ref;
}

const STATUSES = new Set<string>(INVOICE_STATUSES);

function taxOf(invoice: Stripe.Invoice & LegacyInvoiceFields): number {
  if (Array.isArray(invoice.total_taxes)) return invoice.total_taxes.reduce((sum, t) => sum + t.amount, 0);
  if (typeof invoice.tax === 'number') return invoice.tax;
  if (Array.isArray(invoice.total_tax_amounts)) return invoice.total_tax_amounts.reduce((sum, t) => sum + t.amount, 0);
  return 0;
}

export function subscriptionOf(invoice: Stripe.Invoice): string | null {
  const legacy = invoice as Stripe.Invoice & LegacyInvoiceFields;
  return idOf(invoice.parent?.subscription_details?.subscription) ?? idOf(legacy.subscription);
}

const toDate = (seconds: number | null | undefined) => (seconds == null ? null : new Date(seconds * 1000));

/** The invoice as a ledger snapshot (tenant resolved by the caller). */
export function invoiceSnapshot(invoice: Stripe.Invoice, tenantId: string | null, flags: InvoiceFlags = {}): InvoiceSnapshot {
  const status: InvoiceStatus = invoice.status && STATUSES.has(invoice.status) ? (invoice.status as InvoiceStatus) : 'draft';
  return {
    gateway: 'stripe',
    external_id: invoice.id,
    number: invoice.number ?? null,
    customer_id: idOf(invoice.customer),
    subscription_id: subscriptionOf(invoice),
    tenant_id: tenantId,
    currency: invoice.currency.toLowerCase(),
    total: invoice.total,
    tax: taxOf(invoice),
    amount_due: invoice.amount_due,
    amount_paid: invoice.amount_paid,
    amount_remaining: invoice.amount_remaining,
    status,
    collection_method: invoice.collection_method ?? null,
    attempt_count: invoice.attempt_count ?? 0,
    due_date: toDate(invoice.due_date),
    hosted_url: invoice.hosted_invoice_url ?? null,
    pdf_url: invoice.invoice_pdf ?? null,
    created_at: new Date(invoice.created * 1000),
    deleted: flags.deleted,
    payment_failed: flags.payment_failed,
  };
}

/** Metadata of an expanded (not deleted) customer; null when only the id is present. */
export function expandedCustomerMetadata(customer: Stripe.Invoice['customer'] | Stripe.Charge['customer']): Metadata | null {
  if (!customer || typeof customer === 'string' || customer.deleted) return null;
  return customer.metadata ?? null;
}

/** The tenant of a Stripe customer (and, if given, subscription): link, else metadata key. */
export function stripeTenant(
  tx: Db,
  scope: Scope,
  customerId: string | null,
  subscriptionId: string | null = null,
  metadata: Metadata | null = null,
): Promise<string | null> {
  return resolveTenant(tx, scope, 'stripe', { identities: [customerId, subscriptionId], metadata, customerId });
}

/** The PaymentIntents and Charges that pay an invoice (old and new payload shapes). */
export function paymentRefsOfInvoice(invoice: Stripe.Invoice): string[] {
  const legacy = invoice as Stripe.Invoice & LegacyInvoiceFields;
  const refs = [idOf(legacy.charge), idOf(legacy.payment_intent)];
  for (const p of invoice.payments?.data ?? []) refs.push(idOf(p.payment?.payment_intent), idOf(p.payment?.charge));
  return [...new Set(refs.filter((r): r is string => !!r))];
}

/** Records that these payments (pi_… / ch_…) pay the invoice with Stripe id `invoiceExternalId`. */
export async function recordInvoicePayments(tx: Db, scope: Scope, invoiceExternalId: string, refs: (string | null)[]) {
  const list = refs.filter((r): r is string => !!r);
  if (list.length === 0) return;
  await tx`
    INSERT INTO stripe_invoice_payments (account_id, livemode, payment_ref, invoice_external_id)
    SELECT ${scope.accountId}, ${scope.livemode}, ref, ${invoiceExternalId} FROM unnest(${list}::text[]) AS ref
    ON CONFLICT (account_id, livemode, payment_ref) DO NOTHING`;
}

/** Stripe ids of the invoices these payments pay. */
export async function invoicesOfPayments(tx: Db, scope: Scope, refs: (string | null)[]): Promise<string[]> {
  const list = refs.filter((r): r is string => !!r);
  if (list.length === 0) return [];
  const rows = await tx<{ invoice_external_id: string }[]>`
    SELECT DISTINCT invoice_external_id FROM stripe_invoice_payments
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND payment_ref = ANY(${list}::text[])`;
  return rows.map((r) => r.invoice_external_id);
}

/**
 * Sets an invoice's amount_refunded from the refunds known for its payments. Per charge, the
 * figure is the larger of what charge.refunded last reported (cumulative) and the sum of its
 * single refunds that did not fail, so a charge reported both ways is counted once. Returns the
 * invoice (ledger id and tenant) when it is stored and has known payments.
 */
export async function recountRefunds(
  tx: Db,
  scope: Scope,
  invoiceExternalId: string,
): Promise<{ id: string; tenant_id: string | null } | null> {
  const a = scope.accountId;
  const m = scope.livemode;
  const [row] = await tx<{ id: string; tenant_id: string | null }[]>`
    WITH refs AS (
      SELECT payment_ref FROM stripe_invoice_payments
      WHERE account_id = ${a} AND livemode = ${m} AND invoice_external_id = ${invoiceExternalId}
    ), per_source AS (
      SELECT c.charge_id AS payment, c.amount_refunded AS amount FROM stripe_charge_refunds c
      WHERE c.account_id = ${a} AND c.livemode = ${m}
        AND (c.charge_id IN (SELECT payment_ref FROM refs) OR c.payment_intent_id IN (SELECT payment_ref FROM refs))
      UNION ALL
      SELECT COALESCE(r.charge_id, r.payment_intent_id) AS payment, sum(r.amount) AS amount FROM stripe_refunds r
      WHERE r.account_id = ${a} AND r.livemode = ${m} AND COALESCE(r.status, '') NOT IN ('failed', 'canceled')
        AND (r.charge_id IN (SELECT payment_ref FROM refs) OR r.payment_intent_id IN (SELECT payment_ref FROM refs))
      GROUP BY 1
    ), per_payment AS (
      SELECT payment, max(amount) AS amount FROM per_source GROUP BY payment
    )
    UPDATE invoices SET amount_refunded = (SELECT COALESCE(sum(amount), 0) FROM per_payment), updated_at = now()
    WHERE account_id = ${a} AND livemode = ${m} AND gateway = 'stripe' AND external_id = ${invoiceExternalId}
      AND EXISTS (SELECT 1 FROM refs)
    RETURNING id, tenant_id`;
  return row ?? null;
}

/** Paid outside Stripe: the old `paid_out_of_band`, or (from 2025-03-31) an out-of-band payment record. */
export function paidOutOfBand(invoice: Stripe.Invoice): boolean {
  if ((invoice as Stripe.Invoice & LegacyInvoiceFields).paid_out_of_band) return true;
  return (invoice.payments?.data ?? []).some((p) => p.payment?.type === 'payment_record' && p.status === 'paid');
}

/** Stores customers (newest source wins); a metadata change moves their unlinked invoices' tenant. */
export async function applyStripeCustomers(
  tx: Db,
  scope: Scope,
  items: { customer: Stripe.Customer | Stripe.DeletedCustomer; source: ChangeSource }[],
): Promise<void> {
  const applied = await upsertCustomers(
    tx,
    scope,
    items.map(({ customer, source }) => ({
      customer: {
        gateway: 'stripe' as const,
        external_id: customer.id,
        email: customer.deleted ? null : (customer.email ?? null),
        name: customer.deleted ? null : (customer.name ?? null),
        metadata: customer.deleted ? undefined : (customer.metadata ?? {}),
        deleted: customer.deleted === true,
      },
      source,
    })),
  );
  const live = items.filter(({ customer }) => !customer.deleted && applied.has(customer.id)).map(({ customer }) => customer.id);
  await retenantCustomers(tx, scope, 'stripe', live);
}

/** One customer: a batch of one. */
export const applyStripeCustomer = (
  tx: Db,
  scope: Scope,
  customer: Stripe.Customer | Stripe.DeletedCustomer,
  source: ChangeSource,
) => applyStripeCustomers(tx, scope, [{ customer, source }]);

/** Records a charge's cumulative refunded amount (and the refunds it lists). Returns the invoices it pays. */
export async function applyStripeChargeRefunds(tx: Db, scope: Scope, charge: Stripe.Charge, source: ChangeSource): Promise<string[]> {
  const paymentIntent = idOf(charge.payment_intent);
  const legacyInvoice = idOf((charge as Stripe.Charge & LegacyChargeFields).invoice);
  if (legacyInvoice) await recordInvoicePayments(tx, scope, legacyInvoice, [charge.id, paymentIntent]);
  await tx`
    INSERT INTO stripe_charge_refunds (account_id, livemode, charge_id, payment_intent_id, amount_refunded, currency,
                                       source_time, source_event_id)
    VALUES (${scope.accountId}, ${scope.livemode}, ${charge.id}, ${paymentIntent}, ${charge.amount_refunded},
            ${charge.currency.toLowerCase()}, ${source.time}, ${source.eventId})
    ON CONFLICT (account_id, livemode, charge_id) DO UPDATE SET
      payment_intent_id = EXCLUDED.payment_intent_id, amount_refunded = EXCLUDED.amount_refunded,
      source_time = EXCLUDED.source_time, source_event_id = EXCLUDED.source_event_id
    WHERE (stripe_charge_refunds.source_time, COALESCE(stripe_charge_refunds.source_event_id, ''))
        < (EXCLUDED.source_time, COALESCE(EXCLUDED.source_event_id, ''))`;
  for (const refund of charge.refunds?.data ?? []) await storeRefund(tx, scope, refund, source, charge.id, paymentIntent);
  return invoicesOfPayments(tx, scope, [charge.id, paymentIntent]);
}

/** Records one refund (newest source wins). Returns the invoices its payment pays. */
export async function applyStripeRefund(tx: Db, scope: Scope, refund: Stripe.Refund, source: ChangeSource): Promise<string[]> {
  const charge = typeof refund.charge === 'object' ? refund.charge : null;
  const chargeId = idOf(refund.charge);
  const paymentIntent = idOf(refund.payment_intent) ?? idOf(charge?.payment_intent);
  const legacyInvoice = charge ? idOf((charge as Stripe.Charge & LegacyChargeFields).invoice) : null;
  if (legacyInvoice) await recordInvoicePayments(tx, scope, legacyInvoice, [chargeId, paymentIntent]);
  await storeRefund(tx, scope, refund, source, chargeId, paymentIntent);
  return invoicesOfPayments(tx, scope, [chargeId, paymentIntent]);
}

async function storeRefund(
  tx: Db,
  scope: Scope,
  refund: Stripe.Refund,
  source: ChangeSource,
  chargeId: string | null,
  paymentIntent: string | null,
) {
  await tx`
    INSERT INTO stripe_refunds (account_id, livemode, refund_id, charge_id, payment_intent_id, amount, currency, status,
                                source_time, source_event_id)
    VALUES (${scope.accountId}, ${scope.livemode}, ${refund.id}, ${chargeId}, ${paymentIntent}, ${refund.amount},
            ${refund.currency.toLowerCase()}, ${refund.status}, ${source.time}, ${source.eventId})
    ON CONFLICT (account_id, livemode, refund_id) DO UPDATE SET
      charge_id = COALESCE(EXCLUDED.charge_id, stripe_refunds.charge_id),
      payment_intent_id = COALESCE(EXCLUDED.payment_intent_id, stripe_refunds.payment_intent_id),
      amount = EXCLUDED.amount, status = EXCLUDED.status,
      source_time = EXCLUDED.source_time, source_event_id = EXCLUDED.source_event_id
    WHERE (stripe_refunds.source_time, COALESCE(stripe_refunds.source_event_id, ''))
        < (EXCLUDED.source_time, COALESCE(EXCLUDED.source_event_id, ''))`;
}

/** Why a charge failed, in Stripe's words (the outcome's seller message adds the network's reason). */
export function chargeFailureMessage(charge: Stripe.Charge): string | null {
  const parts = [charge.failure_message, charge.outcome?.seller_message].filter(
    (p, i, all): p is string => !!p && all.indexOf(p) === i,
  );
  return parts.length ? parts.join(' — ') : null;
}

/**
 * Why an invoice's automatic payment failed: the expanded PaymentIntent's or Charge's own message
 * (payloads of older API versions may carry them), else what the invoice itself says (attempt
 * count and next retry); a later charge.failed event replaces it with the card network's reason.
 */
export function invoicePaymentError(invoice: Stripe.Invoice): string {
  const legacy = invoice as Stripe.Invoice & LegacyInvoiceFields;
  const intent = typeof legacy.payment_intent === 'object' ? (legacy.payment_intent as Partial<Stripe.PaymentIntent> | null) : null;
  const charge = typeof legacy.charge === 'object' ? (legacy.charge as Stripe.Charge | null) : null;
  const message = intent?.last_payment_error?.message ?? (charge ? chargeFailureMessage(charge) : null);
  if (message) return message;
  const attempt = invoice.attempt_count ? ` (attempt ${invoice.attempt_count})` : '';
  const next = invoice.next_payment_attempt
    ? `; Stripe retries on ${new Date(invoice.next_payment_attempt * 1000).toISOString().slice(0, 10)}`
    : '';
  return `The automatic payment failed${attempt}${next}.`;
}

/** Stripe ids of the invoices a charge pays (known payments, or the charge's own invoice in older versions). */
export async function invoicesOfCharge(tx: Db, scope: Scope, charge: Stripe.Charge): Promise<string[]> {
  const paymentIntent = idOf(charge.payment_intent);
  const legacyInvoice = idOf((charge as Stripe.Charge & LegacyChargeFields).invoice);
  if (legacyInvoice) await recordInvoicePayments(tx, scope, legacyInvoice, [charge.id, paymentIntent]);
  return invoicesOfPayments(tx, scope, [charge.id, paymentIntent]);
}
