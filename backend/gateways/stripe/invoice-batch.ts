// Stripe invoices applied to the ledger as a batch: tenants resolved in one statement, the
// snapshots applied set-based (domain/ledger-batch.ts), then lines, payments and refund totals in
// one statement each. Webhook events of the applier, a backfill page and a single invoice (admin
// actions, one-time invoices) all come through here, so they follow one set of rules.
import type Stripe from 'stripe';
import type { Db } from '../../db/client.js';
import type { Scope } from '../../domain/accounts.js';
import { resolveTenants } from '../../domain/customers.js';
import { replaceManyInvoiceLines } from '../../domain/invoice-lines.js';
import type { ChangeSource } from '../../domain/invoices.js';
import { applyInvoiceSnapshots } from '../../domain/ledger-batch.js';
import { stripeInvoiceLines } from './invoice-lines.js';
import {
  expandedCustomerMetadata,
  idOf,
  invoiceSnapshot,
  paidOutOfBand,
  paymentRefsOfInvoice,
  subscriptionOf,
  type InvoiceFlags,
} from './mapping.js';

export interface StripeInvoiceItem {
  invoice: Stripe.Invoice;
  source: ChangeSource;
  flags?: InvoiceFlags;
}

export interface StripeInvoiceResult {
  invoiceId: string;
  applied: boolean;
  tenantId: string | null;
}

/** Records that these payments pay these invoices: one statement for the whole batch. */
async function recordPayments(tx: Db, scope: Scope, pairs: { ref: string; invoice: string }[]) {
  if (pairs.length === 0) return;
  await tx`
    INSERT INTO stripe_invoice_payments (account_id, livemode, payment_ref, invoice_external_id)
    SELECT DISTINCT ON (p.ref) ${scope.accountId}, ${scope.livemode}, p.ref, p.invoice
    FROM jsonb_to_recordset(${tx.json(pairs)}) AS p (ref text, invoice text)
    ORDER BY p.ref
    ON CONFLICT (account_id, livemode, payment_ref) DO NOTHING`;
}

/**
 * recountRefunds (mapping.ts) for many invoices in one statement: per charge, the larger of what
 * charge.refunded last reported and the sum of its single refunds that did not fail.
 */
async function recountManyRefunds(tx: Db, scope: Scope, externalIds: string[]) {
  if (externalIds.length === 0) return;
  const a = scope.accountId;
  const m = scope.livemode;
  await tx`
    WITH refs AS (
      SELECT invoice_external_id AS inv, payment_ref FROM stripe_invoice_payments
      WHERE account_id = ${a} AND livemode = ${m} AND invoice_external_id = ANY(${externalIds}::text[])
    ), charges AS (
      SELECT DISTINCT refs.inv, c.charge_id AS payment, c.amount_refunded AS amount
      FROM refs JOIN stripe_charge_refunds c ON c.account_id = ${a} AND c.livemode = ${m}
        AND (c.charge_id = refs.payment_ref OR c.payment_intent_id = refs.payment_ref)
    ), refunds AS (
      SELECT DISTINCT refs.inv, r.refund_id, COALESCE(r.charge_id, r.payment_intent_id) AS payment, r.amount
      FROM refs JOIN stripe_refunds r ON r.account_id = ${a} AND r.livemode = ${m}
        AND COALESCE(r.status, '') NOT IN ('failed', 'canceled')
        AND (r.charge_id = refs.payment_ref OR r.payment_intent_id = refs.payment_ref)
    ), per_source AS (
      SELECT inv, payment, amount FROM charges
      UNION ALL
      SELECT inv, payment, sum(amount) FROM refunds GROUP BY inv, payment
    ), per_payment AS (
      SELECT inv, payment, max(amount) AS amount FROM per_source GROUP BY inv, payment
    ), totals AS (
      SELECT i.inv, COALESCE(sum(p.amount), 0) AS amount
      FROM (SELECT DISTINCT inv FROM refs) i LEFT JOIN per_payment p ON p.inv = i.inv
      GROUP BY i.inv
    )
    UPDATE invoices SET amount_refunded = t.amount, updated_at = now()
    FROM totals t
    WHERE invoices.account_id = ${a} AND invoices.livemode = ${m} AND invoices.gateway = 'stripe'
      AND invoices.external_id = t.inv AND invoices.amount_refunded IS DISTINCT FROM t.amount`;
}

/** Applies the invoices in the order given (several may be of one invoice), in the caller's transaction. */
export async function applyStripeInvoices(tx: Db, scope: Scope, items: StripeInvoiceItem[]): Promise<StripeInvoiceResult[]> {
  if (items.length === 0) return [];
  const tenants = await resolveTenants(
    tx,
    scope,
    'stripe',
    items.map(({ invoice }) => ({
      identities: [idOf(invoice.customer), subscriptionOf(invoice)],
      metadata: expandedCustomerMetadata(invoice.customer),
      customerId: idOf(invoice.customer),
    })),
  );
  const results = await applyInvoiceSnapshots(
    tx,
    scope,
    'stripe',
    items.map(({ invoice, source, flags }, i) => ({ snap: invoiceSnapshot(invoice, tenants[i], flags), source })),
  );

  // Per invoice: the lines of the last snapshot that applied (the state the ledger now holds).
  const lines = new Map<string, { invoiceId: string; invoice: Stripe.Invoice }>();
  const outOfBand = new Set<string>();
  const payments: { ref: string; invoice: string }[] = [];
  items.forEach(({ invoice }, i) => {
    const r = results[i];
    if (r.applied) lines.set(r.invoiceId, { invoiceId: r.invoiceId, invoice });
    if (invoice.status === 'paid' && paidOutOfBand(invoice)) outOfBand.add(r.invoiceId);
    for (const ref of paymentRefsOfInvoice(invoice)) payments.push({ ref, invoice: invoice.id });
  });
  await replaceManyInvoiceLines(
    tx,
    scope,
    [...lines.values()].map(({ invoiceId, invoice }) => {
      const { lines: l, hasMore } = stripeInvoiceLines(invoice);
      return { invoiceId, lines: l, hasMore };
    }),
  );
  if (outOfBand.size > 0) {
    await tx`UPDATE invoices SET paid_out_of_band = true
      WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND id = ANY(${[...outOfBand]}::uuid[])
        AND NOT paid_out_of_band`;
  }
  await recordPayments(tx, scope, payments);
  // Refunds may have arrived before the invoice (or before its payments were known).
  await recountManyRefunds(tx, scope, [...new Set(items.map((x) => x.invoice.id))].sort());
  return results;
}

/** Applies an invoice to the ledger with its tenant, payments and any refunds already known (a batch of one). */
export async function applyStripeInvoice(
  tx: Db,
  scope: Scope,
  invoice: Stripe.Invoice,
  source: ChangeSource,
  flags?: InvoiceFlags,
): Promise<{ invoiceId: string; applied: boolean; tenantId: string | null }> {
  const [result] = await applyStripeInvoices(tx, scope, [{ invoice, source, flags }]);
  return result;
}
