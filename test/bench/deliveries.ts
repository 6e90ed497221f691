// Webhook deliveries for the load: distinct, signed Stripe invoice events (half new invoices
// finalized, half payments of earlier ones) and presigned PayPal sale events.
import { randomBytes, randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { paypalHeaders } from '../support/paypal/sign.js';
import { paid, signDelivery, stripeEvent, stripeInvoice, unix } from '../support/stripe-events.js';
import type { Delivery } from './load.js';

/** Customers cus_bench0 … are the ones the bench links to tenants first. */
export const benchCustomer = (n: number) => `cus_bench${n}`;

export function stripeInvoiceDeliveries(accountId: string, customers = 5_000): () => Delivery {
  const finalized: Stripe.Invoice[] = [];
  let n = 0;
  return () => {
    n++;
    const now = unix(new Date());
    // Pay an invoice finalized a while ago (its event has been answered by then).
    if (finalized.length > 256 && n % 2 === 0) {
      const invoice = finalized.shift()!;
      return signDelivery(stripeEvent('invoice.paid', paid(invoice), { account: accountId, created: now }));
    }
    const invoice = stripeInvoice({
      customer: benchCustomer(n % customers),
      created: now,
      due_date: now + 30 * 86_400,
      total: 1_000 + (n % 90_000),
      amount_due: 1_000 + (n % 90_000),
      amount_remaining: 1_000 + (n % 90_000),
      currency: n % 10 < 7 ? 'usd' : 'eur',
    });
    finalized.push(invoice);
    return signDelivery(stripeEvent('invoice.finalized', invoice, { account: accountId, created: now }));
  };
}

/** PayPal signs with RSA (about 1 ms each): the deliveries are signed before the load starts. */
export function presignPaypalSales(count: number, webhookId: string, certUrl: string): Delivery[] {
  const out: Delivery[] = [];
  const time = new Date();
  for (let n = 0; n < count; n++) {
    const saleId = randomBytes(9).toString('hex').toUpperCase();
    const amount = `${10 + (n % 90)}.00`;
    const event = {
      id: `WH-${randomUUID()}`,
      event_version: '1.0',
      create_time: time.toISOString(),
      resource_type: 'sale',
      event_type: 'PAYMENT.SALE.COMPLETED',
      summary: `Payment completed for EUR ${amount}`,
      resource: {
        id: saleId,
        state: 'completed',
        billing_agreement_id: `I-BENCH${String(n % 2_000).padStart(6, '0')}`,
        amount: { total: amount, currency: 'EUR', details: { subtotal: amount } },
        transaction_fee: { value: '1.36', currency: 'EUR' },
        payment_mode: 'INSTANT_TRANSFER',
        protection_eligibility: 'ELIGIBLE',
        invoice_number: '',
        create_time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        update_time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        links: [{ href: `https://api.paypal.com/v1/payments/sale/${saleId}`, rel: 'self', method: 'GET' }],
      },
      links: [],
    };
    const body = JSON.stringify(event);
    out.push({ body, headers: paypalHeaders(body, { webhookId, certUrl, time }) });
  }
  return out;
}
