// A stored PayPal event -> ledger changes (runs inside the event's transaction; also on replay).
import type { Tx } from '../../db/client.js';
import type { Scope } from '../../domain/accounts.js';
import { markPaidOutOfBand } from '../../domain/collections.js';
import { invalid } from '../../domain/errors.js';
import type { EventProcessor, ProcessOutcome } from '../../domain/events.js';
import {
  applyInvoiceSnapshot,
  displayStatus,
  recordHistory,
  setAmountRefunded,
  type ChangeSource,
  type InvoiceSnapshot,
  type InvoiceStatus,
} from '../../domain/invoices.js';
import { recordPaymentError } from '../../domain/payment-errors.js';
import {
  parsePaypalEvent,
  type Money,
  type PaymentState,
  type PaypalInvoice,
  type RefundRecord,
  type SubscriptionState,
} from './parse-event.js';
import {
  getSubscription,
  getSubscriptions,
  refundedTotals,
  refundedTotalsOf,
  saveRefund,
  saveSubscription,
  setOutstandingCycle,
} from './store.js';
import { replaceInvoiceLines, replaceManyInvoiceLines } from '../../domain/invoice-lines.js';
import { applyInvoiceSnapshots } from '../../domain/ledger-batch.js';
import { resolveTenant, resolveTenants } from '../../domain/customers.js';
import { paypalInvoiceLines, paypalPaymentLines } from './invoice-lines.js';

/** The ledger changes of one event: its transaction, scope and id. */
interface Ctx {
  tx: Tx;
  scope: Scope;
  eventId: string;
}

/** The same with the event's type (a subscription's state means more after a failed payment). */
interface TypedCtx extends Ctx {
  eventType: string;
}

const sourceOf = (ctx: Ctx, time: Date): ChangeSource => ({ time, eventId: ctx.eventId, label: `event:${ctx.eventId}` });

export const processPaypalEvent: EventProcessor = async (tx, scope, event) => {
  const { envelope, action } = parsePaypalEvent(event.payload);
  const ctx: TypedCtx = { tx, scope, eventId: event.event_id, eventType: envelope.event_type };
  switch (action.kind) {
    case 'subscription':
      return onSubscription(ctx, action.subscription);
    case 'payment':
      return onPayment(ctx, action.payment);
    case 'refund':
      return onRefund(ctx, action.refund);
    case 'invoice':
      return onInvoice(ctx, action.invoice);
    case 'ignored':
      return { ignored: true };
  }
};

// --- invoices in the ledger --------------------------------------------------------------------

interface StoredRow {
  id: string;
  status: InvoiceStatus;
  past_due: boolean;
  currency: string;
  total: number;
  tenant_id: string | null;
  customer_id: string | null;
  attempt_count: number;
  due_date: Date | null;
  amount_refunded: number;
  created_at: Date;
  source_time: Date;
}

async function loadInvoice(ctx: Ctx, externalId: string): Promise<StoredRow | null> {
  const [row] = await ctx.tx<StoredRow[]>`
    SELECT id, status, past_due, currency, total, tenant_id, customer_id, attempt_count, due_date, amount_refunded,
      created_at, source_time
    FROM invoices
    WHERE account_id = ${ctx.scope.accountId} AND livemode = ${ctx.scope.livemode}
      AND gateway = 'paypal' AND external_id = ${externalId}`;
  return row ?? null;
}

async function noteRefund(ctx: Ctx, row: StoredRow, refunded: number, at: Date) {
  const shown = displayStatus(row.status, row.past_due);
  const note = `refunded ${refunded - row.amount_refunded} ${row.currency} (${refunded} in all)`;
  await recordHistory(ctx.tx, ctx.scope, row.id, shown, shown, at, `event:${ctx.eventId}`, note);
}

// --- subscriptions and their outstanding balance ------------------------------------------------

/** The ledger invoice holding a subscription's unpaid balance in its n-th past-due cycle. */
export const outstandingExternalId = (subscriptionId: string, cycle: number) =>
  cycle <= 1 ? `${subscriptionId}:outstanding` : `${subscriptionId}:outstanding:${cycle}`;

function outstandingSnapshot(
  subscriptionId: string,
  cycle: number,
  f: { tenant_id: string | null; payer_id: string | null; owed: Money; attempts: number; due: Date | null; created: Date },
  status: InvoiceStatus,
): InvoiceSnapshot {
  return {
    gateway: 'paypal',
    external_id: outstandingExternalId(subscriptionId, cycle),
    number: null,
    customer_id: f.payer_id,
    subscription_id: subscriptionId,
    tenant_id: f.tenant_id,
    currency: f.owed.currency,
    total: f.owed.amount,
    tax: 0,
    amount_due: f.owed.amount,
    amount_paid: status === 'paid' ? f.owed.amount : 0,
    amount_remaining: status === 'open' ? f.owed.amount : 0,
    status,
    collection_method: 'charge_automatically',
    attempt_count: f.attempts,
    due_date: f.due,
    hosted_url: null,
    pdf_url: null,
    created_at: f.created,
    payment_failed: status === 'open',
  };
}

/** Settles (paid: a later sale completed) or voids (cancelled) the open outstanding balance, if any. */
async function closeOutstanding(ctx: Ctx, subscriptionId: string, status: 'paid' | 'void', source: ChangeSource) {
  const sub = await getSubscription(ctx.tx, ctx.scope, subscriptionId, true);
  if (!sub || sub.outstanding_cycle === 0) return null;
  const row = await loadInvoice(ctx, outstandingExternalId(subscriptionId, sub.outstanding_cycle));
  if (!row || row.status !== 'open') return null;
  const snap = outstandingSnapshot(
    subscriptionId,
    sub.outstanding_cycle,
    {
      tenant_id: row.tenant_id,
      payer_id: row.customer_id,
      owed: { amount: row.total, currency: row.currency },
      attempts: row.attempt_count,
      due: row.due_date,
      created: row.created_at,
    },
    status,
  );
  const r = await applyInvoiceSnapshot(ctx.tx, ctx.scope, snap, source);
  return r.applied ? row.id : null;
}

/** Invoices and events of the subscription that arrived before its tenant was known now get it. */
async function adoptOrphans(ctx: Ctx, subscriptionId: string, tenantId: string) {
  const { tx, scope } = ctx;
  await tx`
    UPDATE invoices SET tenant_id = ${tenantId}, updated_at = now()
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND gateway = 'paypal'
      AND subscription_id = ${subscriptionId} AND tenant_id IS NULL`;
  await tx`
    UPDATE payment_events SET tenant_id = ${tenantId}
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND gateway = 'paypal' AND tenant_id IS NULL
      AND (object_id = ${subscriptionId} OR invoice_id IN (
        SELECT id FROM invoices
        WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND gateway = 'paypal'
          AND subscription_id = ${subscriptionId}))`;
}

async function onSubscription(ctx: TypedCtx, s: SubscriptionState): Promise<ProcessOutcome> {
  const { tx, scope } = ctx;
  const tenantId = await resolveTenant(tx, scope, 'paypal', { identities: [s.id, s.payer_id], metadata: null, ref: s.custom_id });
  const applied = await saveSubscription(tx, scope, s, tenantId, ctx.eventId);
  const stored = (await getSubscription(tx, scope, s.id))!;
  if (stored.tenant_id) await adoptOrphans(ctx, s.id, stored.tenant_id);
  // An older state (delivered late) changes nothing: the stored newer one already decided the balance.
  const invoiceId = applied ? await trackOutstanding(ctx, s, stored.tenant_id, stored.outstanding_cycle) : null;
  return { tenant_id: stored.tenant_id, invoice_id: invoiceId };
}

/**
 * A failed payment (or a suspension with money owed) makes the subscription past due with its
 * outstanding balance, as an open ledger invoice with payment_failed; later states update the
 * amount; cancellation or expiry voids it; a later completed sale pays it (onPayment).
 */
async function trackOutstanding(ctx: TypedCtx, s: SubscriptionState, tenantId: string | null, cycle: number) {
  const source = sourceOf(ctx, s.state_time);
  if (s.status === 'CANCELLED' || s.status === 'EXPIRED') return closeOutstanding(ctx, s.id, 'void', source);

  const failedNow = ctx.eventType === 'BILLING.SUBSCRIPTION.PAYMENT.FAILED';
  const owed =
    s.outstanding && s.outstanding.amount > 0 ? s.outstanding
    : failedNow && s.last_failed && s.last_failed.amount > 0 ? s.last_failed
    : null;
  if (!owed) return null;
  const current = cycle > 0 ? await loadInvoice(ctx, outstandingExternalId(s.id, cycle)) : null;
  const opening = failedNow || s.status === 'SUSPENDED';
  if (!opening && current?.status !== 'open') return null;
  if (!current || (current.status !== 'open' && current.source_time < source.time)) {
    // The previous balance was settled or voided before this failure: a new past-due cycle.
    cycle += 1;
    await setOutstandingCycle(ctx.tx, ctx.scope, s.id, cycle);
  }
  const snap = outstandingSnapshot(
    s.id,
    cycle,
    {
      tenant_id: tenantId,
      payer_id: s.payer_id,
      owed,
      attempts: s.failed_payments_count,
      due: s.last_failed?.time ?? current?.due_date ?? s.state_time,
      created: s.state_time,
    },
    'open',
  );
  const { invoiceId } = await applyInvoiceSnapshot(ctx.tx, ctx.scope, snap, source);
  if (failedNow) {
    await recordPaymentError(ctx.tx, ctx.scope, 'paypal', [snap.external_id], paypalFailure(s));
  }

  // Deliveries are unordered: a sale completed after this failure may already be stored; it settles the balance.
  const [later] = await ctx.tx<{ created_at: Date }[]>`
    SELECT created_at FROM invoices
    WHERE account_id = ${ctx.scope.accountId} AND livemode = ${ctx.scope.livemode} AND gateway = 'paypal'
      AND subscription_id = ${s.id} AND status = 'paid' AND created_at > ${s.state_time}
      AND external_id NOT LIKE ${`${s.id}:outstanding%`}
    ORDER BY created_at LIMIT 1`;
  if (later) await closeOutstanding(ctx, s.id, 'paid', sourceOf(ctx, later.created_at));
  return invoiceId;
}

/** PayPal's reason code in words, with the failed-payment count. */
function paypalFailure(s: SubscriptionState): string {
  const reason = s.last_failed?.reason ? ` (${s.last_failed.reason.replaceAll('_', ' ').toLowerCase()})` : '';
  const count = s.failed_payments_count > 1 ? `; ${s.failed_payments_count} failed payments in a row` : '';
  return `The PayPal subscription payment failed${reason}${count}.`;
}

// --- sales and captures ---------------------------------------------------------------------------

/**
 * completed -> paid; pending -> open (money is on its way, not yet owed late).
 * A denied sale -> void: the subscription's PAYMENT.FAILED carries what is still owed (its
 * outstanding balance), so keeping the sale open too would count the same debt twice.
 * A declined capture -> open with payment_failed (past due): nothing else records that debt.
 */
function paymentStatus(p: PaymentState): { status: InvoiceStatus; payment_failed: boolean } {
  if (p.outcome === 'completed') return { status: 'paid', payment_failed: false };
  if (p.outcome === 'pending') return { status: 'open', payment_failed: false };
  return p.source === 'sale' ? { status: 'void', payment_failed: false } : { status: 'open', payment_failed: true };
}

async function onPayment(ctx: Ctx, p: PaymentState): Promise<ProcessOutcome> {
  const [outcome] = await applyPaypalPayments(ctx.tx, ctx.scope, [{ payment: p, eventId: ctx.eventId }]);
  return outcome;
}

export interface PaypalPaymentItem {
  payment: PaymentState;
  eventId: string;
}

/**
 * Sales and captures applied as a batch, in the order given: subscriptions (locked, in key order),
 * tenants and refunded totals read in one statement each, the snapshots applied set-based, their
 * lines in one statement; only a completed payment of a subscription with an open balance settles
 * it one by one. A single event's payment comes through here too (onPayment), so both follow one
 * set of rules.
 */
export async function applyPaypalPayments(tx: Tx, scope: Scope, items: PaypalPaymentItem[]): Promise<ProcessOutcome[]> {
  if (items.length === 0) return [];
  const subscriptionIds = [...new Set(items.map((x) => x.payment.subscription_id).filter((x): x is string => !!x))];
  const subscriptions = await getSubscriptions(tx, scope, subscriptionIds, true);
  const subscriptionOf = (p: PaymentState) => (p.subscription_id ? subscriptions.get(p.subscription_id) : undefined);
  const tenants = await resolveTenants(
    tx,
    scope,
    'paypal',
    items.map(({ payment: p }) => {
      const sub = subscriptionOf(p);
      return {
        identities: p.subscription_id ? [p.subscription_id, sub?.payer_id] : [],
        metadata: null,
        known: sub?.tenant_id ?? null,
        ref: p.custom_id,
      };
    }),
  );
  const refunded = await refundedTotalsOf(tx, scope, [...new Set(items.map((x) => x.payment.id))]);
  const snapshots = items.map(({ payment: p, eventId }, i) => {
    const { status, payment_failed } = paymentStatus(p);
    const total = p.money.amount;
    const snap: InvoiceSnapshot = {
      gateway: 'paypal',
      external_id: p.id,
      number: p.number,
      customer_id: subscriptionOf(p)?.payer_id ?? null,
      subscription_id: p.subscription_id,
      tenant_id: tenants[i],
      currency: p.money.currency,
      total,
      tax: p.tax,
      amount_due: total,
      amount_paid: status === 'paid' ? total : 0,
      amount_remaining: status === 'open' ? total : 0,
      amount_refunded: refunded.get(p.id)?.get(p.money.currency) ?? 0,
      status,
      collection_method: p.subscription_id ? 'charge_automatically' : null,
      attempt_count: 1,
      due_date: null,
      hosted_url: null,
      pdf_url: null,
      created_at: p.created_at,
      payment_failed,
    };
    return { snap, source: { time: p.updated_at, eventId, label: `event:${eventId}` } };
  });
  const results = await applyInvoiceSnapshots(tx, scope, 'paypal', snapshots);
  // Per invoice: the lines of the last payment state that applied.
  const lines = new Map<string, PaymentState>();
  items.forEach(({ payment }, i) => {
    if (results[i].applied) lines.set(results[i].invoiceId, payment);
  });
  await replaceManyInvoiceLines(
    tx,
    scope,
    [...lines].map(([invoiceId, p]) => ({ invoiceId, lines: paypalPaymentLines(p), hasMore: false })),
  );
  for (const { payment: p, eventId } of items) {
    const sub = subscriptionOf(p);
    if (p.outcome !== 'completed' || !sub || sub.outstanding_cycle === 0) continue;
    const ctx: Ctx = { tx, scope, eventId };
    await closeOutstanding(ctx, sub.subscription_id, 'paid', sourceOf(ctx, p.created_at));
  }
  return results.map((r, i) => ({ tenant_id: tenants[i], invoice_id: r.invoiceId }));
}

async function onRefund(ctx: Ctx, r: RefundRecord): Promise<ProcessOutcome> {
  await saveRefund(ctx.tx, ctx.scope, r);
  const row = await loadInvoice(ctx, r.payment_id);
  // A refund delivered before its payment is kept and counted when the payment arrives.
  if (!row) return { tenant_id: null, invoice_id: null };
  if (row.currency !== r.money.currency) {
    throw invalid(`refund in ${r.money.currency} of a payment in ${row.currency}`);
  }
  const refunded = (await refundedTotals(ctx.tx, ctx.scope, r.payment_id)).get(row.currency) ?? 0;
  if (refunded !== row.amount_refunded) {
    await setAmountRefunded(ctx.tx, ctx.scope, 'paypal', r.payment_id, refunded);
    await noteRefund(ctx, row, refunded, r.at);
  }
  return { tenant_id: row.tenant_id, invoice_id: row.id };
}

// --- PayPal invoices (Invoicing v2) -------------------------------------------------------------

const INVOICE_STATUS: Record<string, InvoiceStatus> = {
  DRAFT: 'draft',
  SCHEDULED: 'draft', // not sent yet: nothing is owed
  SENT: 'open',
  UNPAID: 'open',
  PAYMENT_PENDING: 'open',
  PARTIALLY_PAID: 'open',
  PAID: 'paid',
  MARKED_AS_PAID: 'paid',
  // refunds stay paid invoices; the refunded figure says how much went back
  REFUNDED: 'paid',
  PARTIALLY_REFUNDED: 'paid',
  MARKED_AS_REFUNDED: 'paid',
  CANCELLED: 'void',
};

/** The tenant of a PayPal invoice: a link of its INV2- id, else its detail.reference matching an external_ref. */
async function onInvoice(ctx: Ctx, inv: PaypalInvoice): Promise<ProcessOutcome> {
  const { tx, scope } = ctx;
  const status = INVOICE_STATUS[inv.status];
  if (!status) throw invalid(`unknown PayPal invoice status ${inv.status}`);
  const tenantId = await resolveTenant(tx, scope, 'paypal', { identities: [inv.id], metadata: null, ref: inv.reference });
  const before = await loadInvoice(ctx, inv.id);
  const snap: InvoiceSnapshot = {
    gateway: 'paypal',
    external_id: inv.id,
    number: inv.number,
    customer_id: null,
    subscription_id: null,
    tenant_id: tenantId,
    currency: inv.currency,
    total: inv.total,
    tax: inv.tax,
    amount_due: inv.total,
    amount_paid: inv.amount_paid,
    amount_remaining: status === 'void' ? 0 : inv.amount_remaining,
    amount_refunded: inv.amount_refunded,
    status,
    collection_method: 'send_invoice',
    attempt_count: 0,
    due_date: inv.due_date,
    hosted_url: inv.hosted_url,
    pdf_url: null,
    created_at: inv.created_at,
  };
  const r = await applyInvoiceSnapshot(tx, scope, snap, sourceOf(ctx, inv.updated_at));
  if (inv.status === 'MARKED_AS_PAID') await markPaidOutOfBand(tx, scope, r.invoiceId);
  if (r.applied) await replaceInvoiceLines(tx, scope, r.invoiceId, paypalInvoiceLines(inv), false);
  if (r.applied && before && inv.amount_refunded > before.amount_refunded) {
    const after = (await loadInvoice(ctx, inv.id))!;
    await noteRefund(ctx, { ...after, amount_refunded: before.amount_refunded }, inv.amount_refunded, inv.updated_at);
  }
  return { tenant_id: tenantId ?? before?.tenant_id ?? null, invoice_id: r.invoiceId };
}
