// One-off work billed to several tenants at once: for each tenant, its linked Stripe customer gets an
// invoice with the lines, finalized and sent. Every Stripe call carries an idempotency key derived
// from the request's key, so a retried request creates nothing twice.
import type Stripe from 'stripe';
import { recordAdminAction } from '../../domain/admin-actions.js';
import { getTenant } from '../../domain/tenants.js';
import { DomainError } from '../../domain/errors.js';
import { GatewayError, requireStripe, toStripeApiError } from '../errors.js';
import { stripeChangeTime, type ActionContext } from './invoice-actions.js';
import { applyStripeInvoice } from './mapping.js';

export interface OneTimeInvoiceRequest {
  tenant_ids: string[];
  currency: string;
  lines: { description: string; amount: number }[];
  days_until_due: number;
}

export interface OneTimeInvoiceResult {
  tenant_id: string;
  invoice_id: string | null;
  stripe_invoice_id: string | null;
  error: { code: string; message: string } | null;
}

async function invoiceTenant(
  ctx: ActionContext,
  stripe: Stripe,
  tenantId: string,
  req: OneTimeInvoiceRequest,
  requestKey: string,
): Promise<OneTimeInvoiceResult> {
  const tenant = await getTenant(ctx.sql, ctx.scope, tenantId);
  const customer = tenant.links.find((l) => l.gateway === 'stripe')?.external_id;
  if (!customer) {
    throw new GatewayError('conflict', 'no_stripe_customer', `tenant "${tenant.name}" has no linked Stripe customer`);
  }
  const key = (step: string) => `tb:one-time:${requestKey}:${tenantId}:${step}`;
  const opts = (step: string): Stripe.RequestOptions => ({
    idempotencyKey: key(step),
    ...(ctx.stripeAccount ? { stripeAccount: ctx.stripeAccount } : {}),
  });
  // The invoice first, then items attached to it: unrelated pending items of the customer stay out.
  const draft = await stripe.invoices.create(
    {
      customer,
      currency: req.currency,
      collection_method: 'send_invoice',
      days_until_due: req.days_until_due,
      pending_invoice_items_behavior: 'exclude',
      auto_advance: false,
      metadata: { tenant_billing_tenant_id: tenantId },
    },
    opts('invoice'),
  );
  for (const [i, line] of req.lines.entries()) {
    await stripe.invoiceItems.create(
      { customer, invoice: draft.id, currency: req.currency, amount: line.amount, description: line.description },
      opts(`item-${i}`),
    );
  }
  await stripe.invoices.finalizeInvoice(draft.id!, {}, opts('finalize'));
  const sent = await stripe.invoices.sendInvoice(draft.id!, {}, opts('send'));
  const label = `user:${ctx.userId}`;
  const { invoiceId } = await ctx.sql.begin((tx) =>
    applyStripeInvoice(tx, ctx.scope, sent, { time: stripeChangeTime(sent, ctx.now), eventId: null, label }),
  );
  return { tenant_id: tenantId, invoice_id: invoiceId, stripe_invoice_id: sent.id ?? null, error: null };
}

/** Answers one result per tenant, in request order; a failing tenant never stops the others. */
export async function createOneTimeInvoices(
  ctx: ActionContext,
  req: OneTimeInvoiceRequest,
  requestKey: string,
): Promise<OneTimeInvoiceResult[]> {
  const stripe = requireStripe(ctx.stripe, ctx.scope.livemode);
  const results: OneTimeInvoiceResult[] = [];
  for (const tenantId of req.tenant_ids) {
    let result: OneTimeInvoiceResult;
    try {
      result = await invoiceTenant(ctx, stripe, tenantId, req, requestKey);
    } catch (err) {
      const failure = err instanceof GatewayError || err instanceof DomainError ? err : toStripeApiError(err);
      const e = { code: failure instanceof GatewayError ? failure.code : failure.kind, message: failure.message };
      result = { tenant_id: tenantId, invoice_id: null, stripe_invoice_id: null, error: e };
    }
    await recordAdminAction(ctx.sql, ctx.scope, {
      user_id: ctx.userId,
      action: 'one_time_invoice',
      invoice_id: result.invoice_id,
      target: tenantId,
      outcome: result.error ? 'failed' : 'succeeded',
      detail: {
        currency: req.currency,
        total: req.lines.reduce((sum, l) => sum + l.amount, 0),
        stripe_invoice_id: result.stripe_invoice_id,
        ...(result.error ? { error: result.error } : {}),
      },
    });
    results.push(result);
  }
  return results;
}
