// One handler per Stripe event type, each receiving its typed event from the `stripe` union.
import type Stripe from 'stripe';
import type { Tx } from '../../db/client.js';
import { markInstalled, markUninstalled, type Scope } from '../../domain/accounts.js';
import type { ProcessOutcome } from '../../domain/events.js';
import type { ChangeSource } from '../../domain/invoices.js';
import { recordPaymentError } from '../../domain/payment-errors.js';
import {
  applyStripeChargeRefunds,
  applyStripeCustomer,
  applyStripeRefund,
  chargeFailureMessage,
  invoicePaymentError,
  invoicesOfCharge,
  expandedCustomerMetadata,
  idOf,
  recordInvoicePayments,
  recountRefunds,
  stripeTenant,
  type InvoiceFlags,
} from './mapping.js';
import { applyStripeInvoice } from './invoice-batch.js';

export interface HandlerContext {
  /** the event's transaction: handlers' writes commit (or roll back) with the stored event */
  tx: Tx;
  scope: Scope;
  source: ChangeSource;
}

export type EventOf<T extends Stripe.Event['type']> = Extract<Stripe.Event, { type: T }>;
/** A handler of event E, a typed member of Stripe.Event (or a union of members it handles alike). */
export type Handler<E extends Stripe.Event> = (ctx: HandlerContext, event: E) => Promise<ProcessOutcome>;

type InvoiceEventType =
  | 'invoice.created'
  | 'invoice.finalized'
  | 'invoice.updated'
  | 'invoice.sent'
  | 'invoice.paid'
  | 'invoice.payment_succeeded'
  | 'invoice.payment_failed'
  | 'invoice.voided'
  | 'invoice.marked_uncollectible'
  | 'invoice.deleted'
  | 'invoice.overdue';

async function applyInvoiceEvent({ tx, scope, source }: HandlerContext, invoice: Stripe.Invoice, flags?: InvoiceFlags) {
  const { invoiceId, tenantId } = await applyStripeInvoice(tx, scope, invoice, source, flags);
  return { tenant_id: tenantId, invoice_id: invoiceId };
}

const handleInvoice: Handler<EventOf<InvoiceEventType>> = (ctx, event) => applyInvoiceEvent(ctx, event.data.object);

// A failed automatic payment makes the invoice failed (and past due); for send_invoice the
// customer pays by hand. The reason is kept for the Failed banner.
const handleInvoicePaymentFailed: Handler<EventOf<'invoice.payment_failed'>> = async (ctx, event) => {
  const invoice = event.data.object;
  const outcome = await applyInvoiceEvent(ctx, invoice, {
    payment_failed: invoice.collection_method === 'charge_automatically',
  });
  await recordPaymentError(ctx.tx, ctx.scope, 'stripe', [invoice.id], invoicePaymentError(invoice));
  return outcome;
};

// A failed charge says why (card declined, insufficient funds…): the reason of its invoice's failure.
const handleChargeFailed: Handler<EventOf<'charge.failed'>> = async (ctx, event) => {
  const charge = event.data.object;
  const invoices = await invoicesOfCharge(ctx.tx, ctx.scope, charge);
  const message = chargeFailureMessage(charge);
  if (message) await recordPaymentError(ctx.tx, ctx.scope, 'stripe', invoices, message);
  return refundOutcome(ctx, invoices, charge.customer);
};

const handleInvoiceDeleted: Handler<EventOf<'invoice.deleted'>> = (ctx, event) =>
  applyInvoiceEvent(ctx, event.data.object, { deleted: true });

const INVOICE_EVENT_TYPES = new Set<string>([
  'invoice.created', 'invoice.finalized', 'invoice.updated', 'invoice.sent', 'invoice.paid', 'invoice.payment_succeeded',
  'invoice.voided', 'invoice.marked_uncollectible', 'invoice.deleted', 'invoice.overdue',
] satisfies InvoiceEventType[]);

/**
 * An invoice event as the applier's set-based path takes it: the invoice and the flags its
 * handler above would apply it with; null for any other event (those go through their handler,
 * invoice.payment_failed too: it also records the failure's reason).
 */
export function invoiceOfEvent(event: Stripe.Event): { invoice: Stripe.Invoice; flags?: InvoiceFlags } | null {
  if (!INVOICE_EVENT_TYPES.has(event.type)) return null;
  const invoice = event.data.object as Stripe.Invoice;
  if (event.type === 'invoice.deleted') return { invoice, flags: { deleted: true } };
  return { invoice };
}

/** Links an event to the first stored invoice among `invoiceExternalIds` (after recounting refunds). */
async function refundOutcome(
  { tx, scope }: HandlerContext,
  invoiceExternalIds: string[],
  customer: Stripe.Charge['customer'],
): Promise<ProcessOutcome> {
  let linked: { id: string; tenant_id: string | null } | null = null;
  for (const externalId of invoiceExternalIds) {
    const counted = await recountRefunds(tx, scope, externalId);
    linked ??= counted;
  }
  if (linked) return { tenant_id: linked.tenant_id, invoice_id: linked.id };
  // The invoice is not known yet: the refund is kept and counted when the invoice arrives.
  const tenantId = await stripeTenant(tx, scope, idOf(customer), null, expandedCustomerMetadata(customer));
  return { tenant_id: tenantId, invoice_id: null };
}

const handleChargeRefunded: Handler<EventOf<'charge.refunded'>> = async (ctx, event) => {
  const charge = event.data.object;
  const invoices = await applyStripeChargeRefunds(ctx.tx, ctx.scope, charge, ctx.source);
  return refundOutcome(ctx, invoices, charge.customer);
};

const handleRefund: Handler<EventOf<'refund.created' | 'refund.updated'>> = async (ctx, event) => {
  const refund = event.data.object;
  const invoices = await applyStripeRefund(ctx.tx, ctx.scope, refund, ctx.source);
  return refundOutcome(ctx, invoices, refund.customer);
};

// New API versions link an invoice to its PaymentIntent / Charge through invoice payments.
const handleInvoicePaymentPaid: Handler<EventOf<'invoice_payment.paid'>> = async (ctx, event) => {
  const payment = event.data.object;
  const invoiceExternalId = idOf(payment.invoice);
  if (!invoiceExternalId) return { ignored: true };
  await recordInvoicePayments(ctx.tx, ctx.scope, invoiceExternalId, [
    idOf(payment.payment.payment_intent),
    idOf(payment.payment.charge),
  ]);
  return refundOutcome(ctx, [invoiceExternalId], null);
};

const handleCheckoutSessionCompleted: Handler<EventOf<'checkout.session.completed'>> = async ({ tx, scope }, event) => {
  const session = event.data.object;
  const invoiceExternalId = idOf(session.invoice);
  const paymentIntent = idOf(session.payment_intent);
  if (invoiceExternalId && paymentIntent) await recordInvoicePayments(tx, scope, invoiceExternalId, [paymentIntent]);
  const tenantId = await stripeTenant(tx, scope, idOf(session.customer), idOf(session.subscription));
  const [invoice] = invoiceExternalId
    ? await tx<{ id: string; tenant_id: string | null }[]>`
        SELECT id, tenant_id FROM invoices
        WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND gateway = 'stripe'
          AND external_id = ${invoiceExternalId}`
    : [];
  return { tenant_id: invoice?.tenant_id ?? tenantId, invoice_id: invoice?.id ?? null };
};

const handleSubscription: Handler<EventOf<'customer.subscription.created' | 'customer.subscription.updated' | 'customer.subscription.deleted'>> = async ({ tx, scope }, event) => {
  const subscription = event.data.object;
  const tenantId = await stripeTenant(
    tx,
    scope,
    idOf(subscription.customer),
    subscription.id,
    expandedCustomerMetadata(subscription.customer),
  );
  return { tenant_id: tenantId, invoice_id: null };
};

const handleCustomer: Handler<EventOf<'customer.created' | 'customer.updated'>> = async ({ tx, scope, source }, event) => {
  const customer = event.data.object;
  await applyStripeCustomer(tx, scope, customer, source);
  return { tenant_id: await stripeTenant(tx, scope, customer.id), invoice_id: null };
};

// customer.deleted carries the full customer as it was; the stored one keeps its metadata so
// its past invoices keep their tenant.
const handleCustomerDeleted: Handler<EventOf<'customer.deleted'>> = async ({ tx, scope, source }, event) => {
  const { id } = event.data.object;
  await applyStripeCustomer(tx, scope, { id, object: 'customer', deleted: true }, source);
  return { tenant_id: await stripeTenant(tx, scope, id), invoice_id: null };
};

const handleApplicationAuthorized: Handler<EventOf<'account.application.authorized'>> = async ({ tx, scope, source }) => {
  await markInstalled(tx, scope.accountId, source.time);
  return { tenant_id: null, invoice_id: null };
};

const handleApplicationDeauthorized: Handler<EventOf<'account.application.deauthorized'>> = async ({ tx, scope, source }) => {
  await markUninstalled(tx, scope.accountId, source.time);
  return { tenant_id: null, invoice_id: null };
};

export type HandledType = InvoiceEventType | 'charge.refunded' | 'charge.failed' | 'refund.created' | 'refund.updated'
  | 'invoice_payment.paid' | 'checkout.session.completed'
  | 'customer.subscription.created' | 'customer.subscription.updated' | 'customer.subscription.deleted'
  | 'customer.created' | 'customer.updated' | 'customer.deleted'
  | 'account.application.authorized' | 'account.application.deauthorized';

export const handlers: { [T in HandledType]: Handler<EventOf<T>> } = {
  'invoice.created': handleInvoice,
  'invoice.finalized': handleInvoice,
  'invoice.updated': handleInvoice,
  'invoice.sent': handleInvoice,
  'invoice.paid': handleInvoice,
  'invoice.payment_succeeded': handleInvoice,
  'invoice.payment_failed': handleInvoicePaymentFailed,
  'invoice.voided': handleInvoice,
  'invoice.marked_uncollectible': handleInvoice,
  'invoice.deleted': handleInvoiceDeleted,
  // Past due by due date is derived when read (with the account's grace days), so Stripe's
  // overdue notice is applied like any other invoice update.
  'invoice.overdue': handleInvoice,
  'charge.refunded': handleChargeRefunded,
  'charge.failed': handleChargeFailed,
  'refund.created': handleRefund,
  'refund.updated': handleRefund,
  'invoice_payment.paid': handleInvoicePaymentPaid,
  'checkout.session.completed': handleCheckoutSessionCompleted,
  'customer.subscription.created': handleSubscription,
  'customer.subscription.updated': handleSubscription,
  'customer.subscription.deleted': handleSubscription,
  'customer.created': handleCustomer,
  'customer.updated': handleCustomer,
  'customer.deleted': handleCustomerDeleted,
  'account.application.authorized': handleApplicationAuthorized,
  'account.application.deauthorized': handleApplicationDeauthorized,
};

export const isHandled = (type: string): type is HandledType => Object.hasOwn(handlers, type);
