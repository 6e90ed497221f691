// PayPal payments and invoices -> ledger lines. PayPal sends no line items for a sale or capture:
// it becomes one line (`subscription` when it pays a subscription, else `item`) of its amount
// before tax, plus a `tax` line; an invoice lists its items (`item`, quantity × unit amount) and
// its tax total as a `tax` line.
import type { StoredLine } from '../../domain/invoice-lines.js';
import type { PaymentState, PaypalInvoice } from './parse-event.js';

const line = (over: Partial<StoredLine> & Pick<StoredLine, 'amount' | 'currency' | 'kind'>): StoredLine => ({
  description: null,
  quantity: null,
  period_start: null,
  period_end: null,
  origin: 'line',
  ...over,
});

export function paypalPaymentLines(p: PaymentState): StoredLine[] {
  const currency = p.money.currency;
  const lines = [
    line({
      kind: p.subscription_id ? 'subscription' : 'item',
      description: p.subscription_id ? `Subscription ${p.subscription_id}` : 'Payment',
      quantity: 1,
      amount: p.money.amount - p.tax,
      currency,
    }),
  ];
  if (p.tax) lines.push(line({ kind: 'tax', description: 'Tax', amount: p.tax, currency, origin: 'invoice' }));
  return lines;
}

export function paypalInvoiceLines(inv: PaypalInvoice): StoredLine[] {
  const lines = inv.items.map((item) =>
    line({ kind: 'item', description: item.name, quantity: item.quantity, amount: item.amount, currency: inv.currency }),
  );
  if (inv.tax) lines.push(line({ kind: 'tax', description: 'Tax', amount: inv.tax, currency: inv.currency, origin: 'invoice' }));
  return lines;
}
