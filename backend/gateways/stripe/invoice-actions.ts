// Admin actions on Stripe invoices, on behalf of the signed account. Refuses what Stripe would
// refuse before calling it, uses idempotency keys so a double click never acts twice, applies
// Stripe's answer to the ledger at once (history source user:<id>) and writes the audit log.
import Stripe from 'stripe';
import type { Sql } from '../../db/client.js';
import type { Scope } from '../../domain/accounts.js';
import { recordAdminAction, type AdminActionName } from '../../domain/admin-actions.js';
import { conflict, notFound } from '../../domain/errors.js';
import { displayStatus, getInvoiceRef, recordHistory, type InvoiceRef, type InvoiceStatus } from '../../domain/invoices.js';
import { requireStripe, toStripeApiError } from '../errors.js';
import { applyStripeInvoice } from './invoice-batch.js';

export type InvoiceAction = Exclude<AdminActionName, 'one_time_invoice'>;

interface ActionRule {
  allowed: (inv: InvoiceRef) => string | null;
  call: (stripe: Stripe, id: string, options: Stripe.RequestOptions) => Promise<Stripe.Invoice>;
}

const onlyFrom = (statuses: InvoiceStatus[], what: string) => (inv: InvoiceRef) =>
  statuses.includes(inv.status)
    ? null
    : `${what} needs an ${statuses.join(' or ')} invoice; this one is ${inv.status === 'paid' ? 'already paid' : inv.status}`;

/** Which statuses each action accepts, as Stripe does. */
export const ACTION_RULES: Record<InvoiceAction, ActionRule> = {
  retry: {
    // Offered for failed invoices and open automatic ones; a send_invoice invoice nobody ever tried
    // to pay has no payment to retry (the customer pays it; a reminder is the action for it).
    allowed: (inv) =>
      onlyFrom(['open'], 'retrying a payment')(inv) ??
      (inv.collection_method === 'send_invoice' && inv.attempt_count === 0 && !inv.payment_failed
        ? 'retrying a payment needs a failed or automatically charged invoice; this one is sent to the customer to pay and no payment was attempted'
        : null),
    // Pays with the customer's default payment method.
    call: (stripe, id, options) => stripe.invoices.pay(id, {}, options),
  },
  void: {
    allowed: onlyFrom(['open', 'uncollectible'], 'voiding'),
    call: (stripe, id, options) => stripe.invoices.voidInvoice(id, {}, options),
  },
  mark_uncollectible: {
    allowed: onlyFrom(['open'], 'marking uncollectible'),
    call: (stripe, id, options) => stripe.invoices.markUncollectible(id, {}, options),
  },
  send_reminder: {
    allowed: (inv) =>
      inv.status !== 'open'
        ? `a reminder needs an open invoice; this one is ${inv.status}`
        : inv.collection_method !== 'send_invoice'
          ? 'Stripe only sends invoices whose collection method is send_invoice; this one is charged automatically'
          : null,
    call: (stripe, id, options) => stripe.invoices.sendInvoice(id, {}, options),
  },
};

const NOT_FROM_HERE: Record<InvoiceAction, string> = {
  retry: 'PayPal invoices can’t be retried from here',
  void: 'PayPal invoices can’t be voided from here',
  mark_uncollectible: 'PayPal invoices can’t be marked uncollectible from here',
  send_reminder: 'reminders for PayPal invoices can’t be sent from here',
};

/** Why `action` may not be taken on `inv` (gateway, then ACTION_RULES), or null when it may; single and bulk actions share it. */
export function actionRefusal(inv: InvoiceRef, action: InvoiceAction): string | null {
  if (inv.gateway !== 'stripe') return `${NOT_FROM_HERE[action]}: ${action.replace('_', ' ')} is only available for Stripe invoices`;
  return ACTION_RULES[action].allowed(inv);
}

export interface ActionContext {
  sql: Sql;
  /** the Stripe client of the request's mode (stripeFor), null when that mode has no key */
  stripe: Stripe | null;
  scope: Scope;
  userId: string;
  now: Date;
  /** Stripe-Account for installed accounts; null for the platform's own account. */
  stripeAccount: string | null;
  /** the caller's Idempotency-Key header, if any */
  idempotencyKey?: string;
}

/**
 * The ledger time of Stripe's answer: its latest status transition (Stripe's own clock, so a later
 * webhook is never mistaken for an older one), or now when the answer carries none.
 */
export function stripeChangeTime(invoice: Stripe.Invoice, now: Date): Date {
  const t = invoice.status_transitions ?? {};
  const latest = Math.max(
    invoice.created ?? 0,
    t.finalized_at ?? 0,
    t.paid_at ?? 0,
    t.voided_at ?? 0,
    t.marked_uncollectible_at ?? 0,
  );
  return latest > 0 ? new Date(latest * 1000) : now;
}

function idempotencyKey(action: string, inv: InvoiceRef, now: Date, callerKey?: string): string {
  if (callerKey) return `tb:${action}:${inv.external_id}:${callerKey}`;
  // Without the caller's key: a double click (same invoice state, same minute) maps to one Stripe
  // call; a later retry after a decline gets a new key, so Stripe tries the card again instead of
  // replaying the stored decline.
  const minute = Math.floor(now.getTime() / 60_000);
  return `tb:${action}:${inv.external_id}:${inv.status}:${inv.attempt_count}:${minute}`;
}

export async function performInvoiceAction(ctx: ActionContext, invoiceId: string, action: InvoiceAction): Promise<string> {
  const stripe = requireStripe(ctx.stripe, ctx.scope.livemode);
  const inv = await getInvoiceRef(ctx.sql, ctx.scope, invoiceId);
  if (!inv) throw notFound('invoice');
  const rule = ACTION_RULES[action];
  const refusal = actionRefusal(inv, action);
  const audit = (outcome: 'succeeded' | 'failed', detail: Record<string, unknown>) =>
    recordAdminAction(ctx.sql, ctx.scope, {
      user_id: ctx.userId,
      action,
      invoice_id: inv.id,
      target: inv.external_id,
      outcome,
      detail,
    });
  if (refusal) {
    await audit('failed', { reason: refusal, status: inv.status });
    throw conflict(refusal);
  }

  let updated: Stripe.Invoice;
  try {
    updated = await rule.call(stripe, inv.external_id, {
      idempotencyKey: idempotencyKey(action, inv, ctx.now, ctx.idempotencyKey),
      ...(ctx.stripeAccount ? { stripeAccount: ctx.stripeAccount } : {}),
    });
  } catch (err) {
    const failure = toStripeApiError(err);
    await audit('failed', { code: failure.code, message: failure.message, ...failure.details });
    throw failure;
  }
  await ctx.sql.begin(async (tx) => {
    const label = `user:${ctx.userId}`;
    await applyStripeInvoice(tx, ctx.scope, updated, { time: stripeChangeTime(updated, ctx.now), eventId: null, label });
    if (action === 'send_reminder') {
      const shown = displayStatus(inv.status, inv.past_due);
      await recordHistory(tx, ctx.scope, inv.id, shown, shown, ctx.now, label, 'reminder sent');
    }
    await recordAdminAction(tx, ctx.scope, {
      user_id: ctx.userId,
      action,
      invoice_id: inv.id,
      target: inv.external_id,
      outcome: 'succeeded',
      detail: { status: updated.status },
    });
  });
  return inv.id;
}
