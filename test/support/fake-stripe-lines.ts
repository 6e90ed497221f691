// Invoice line items for the fake Stripe API: GET /v1/invoices/:id/lines pages through the stored
// invoice's full `lines.data` in invoice order (limit 1–100, default 10, starting_after), as
// stripe.invoices.listLineItems reads it. Registered in fake-stripe.ts's route table.
import { randomBytes } from 'node:crypto';
import type Stripe from 'stripe';
import { errors, type FakeRoute } from './fake-stripe.js';

/** A complete Stripe.InvoiceLineItem (current API shape); `over` changes any field. */
export function makeLineItem(over: Partial<Stripe.InvoiceLineItem> = {}): Stripe.InvoiceLineItem {
  const start = Math.floor(Date.parse('2026-10-01T00:00:00Z') / 1000);
  return {
    id: `il_${randomBytes(10).toString('hex')}`,
    object: 'line_item',
    amount: 1000,
    currency: 'usd',
    description: 'Line item',
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: null,
    livemode: false,
    metadata: {},
    parent: null,
    period: { start, end: start + 30 * 86_400 },
    pretax_credit_amounts: [],
    pricing: null,
    quantity: 1,
    quantity_decimal: null,
    subscription: null,
    subtotal: over.amount ?? 1000,
    taxes: [],
    ...over,
  };
}

/** The invoice-item / subscription-item parent of a line. */
export function lineParent(type: 'invoice_item_details' | 'subscription_item_details', proration = false): Stripe.InvoiceLineItem.Parent {
  const details = { proration, proration_details: null };
  return type === 'invoice_item_details'
    ? { type, invoice_item_details: { invoice_item: 'ii_1', subscription: null, ...details } as never, subscription_item_details: null }
    : { type, subscription_item_details: { subscription: 'sub_1', subscription_item: 'si_1', invoice_item: null, ...details } as never, invoice_item_details: null };
}

export function invoiceLinesRoute(): FakeRoute {
  return {
    method: 'GET',
    path: '/v1/invoices/:id/lines',
    handle: ({ req, params, objects }) => {
      const invoice = objects.invoices.get(params.id);
      if (!invoice) return errors.missing('invoice', params.id);
      const q = req.query as Record<string, string | undefined>;
      const limit = q.limit === undefined ? 10 : Number(q.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
        return errors.invalid('Invalid integer: limit must be between 1 and 100', 'limit');
      }
      const all = invoice.lines.data;
      let start = 0;
      if (q.starting_after) {
        const i = all.findIndex((l) => l.id === q.starting_after);
        if (i < 0) return errors.missing('line_item', q.starting_after, 'starting_after');
        start = i + 1;
      }
      const data = all.slice(start, start + limit);
      const url = `/v1/invoices/${invoice.id}/lines`;
      return { status: 200, body: { object: 'list', data, has_more: start + data.length < all.length, url } };
    },
  };
}
