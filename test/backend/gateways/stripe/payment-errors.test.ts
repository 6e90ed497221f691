// The Failed state says why: the reason of the latest failed automatic payment, from the invoice's
// own failure event (its attempt and next retry) and, when Stripe sends it, the failed charge's
// message; it is shown only while the invoice is failed.
import type { InvoiceDetailResponse, InvoiceResponse } from '../../../../backend/http/ledger-schemas.js';
import type { List } from '../../../../backend/http/schemas.js';
import { createHarness, fakeClock, type Harness } from '../../../support/app-harness.js';
import { makeInvoice } from '../../../support/fake-stripe.js';
import {
  deliver,
  paid,
  stripeCharge,
  stripeEvent,
  stripeInvoicePayment,
  unix,
  WEBHOOK_SECRET,
} from '../../../support/stripe-events.js';

const NOW = new Date('2026-09-20T09:00:00Z');

function harness(): Harness {
  return createHarness({ env: { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET }, clock: fakeClock(NOW) });
}

async function send(h: Harness, type: Parameters<typeof stripeEvent>[0], object: never, at: string) {
  const event = stripeEvent(type, object, { account: h.accountId, created: new Date(at) });
  const res = await deliver(h.app, event, { timestamp: Math.floor(h.clock.now().getTime() / 1000) });
  expect(res.status).toBe(200);
}

async function detailOf(h: Harness, stripeId: string): Promise<InvoiceDetailResponse> {
  const list = (await (await h.api('GET', `/api/invoices?q=${stripeId}`)).json()) as List<InvoiceResponse>;
  expect(list.data).toHaveLength(1);
  return (await (await h.api('GET', `/api/invoices/${list.data[0].id}`)).json()) as InvoiceDetailResponse;
}

describe('the reason a payment failed', () => {
  it('shows the attempt and next retry, then the failed charge’s own message, and nothing once paid', async () => {
    const h = harness();
    const pi = 'pi_failing_0001';
    const invoice = makeInvoice({
      status: 'open',
      collection_method: 'charge_automatically',
      attempt_count: 1,
      next_payment_attempt: unix('2026-09-23T09:00:00Z'),
      created: unix('2026-09-18T09:00:00Z'),
      payments: { object: 'list', data: [stripeInvoicePayment('in_x', pi, { status: 'open' })], has_more: false, url: '' },
    } as never);
    await send(h, 'invoice.payment_failed', invoice as never, '2026-09-19T09:00:00Z');
    let detail = await detailOf(h, invoice.id);
    expect(detail.state).toBe('failed');
    expect(detail.last_payment_error).toBe('The automatic payment failed (attempt 1); Stripe retries on 2026-09-23.');

    const charge = stripeCharge({
      status: 'failed',
      paid: false,
      payment_intent: pi,
      failure_code: 'card_declined',
      failure_message: 'Your card has insufficient funds.',
    });
    await send(h, 'charge.failed', charge as never, '2026-09-19T09:00:01Z');
    detail = await detailOf(h, invoice.id);
    expect(detail.last_payment_error).toBe('Your card has insufficient funds.');
    // the charge event is linked to its invoice in the event log
    expect(detail.events.map((e) => e.type)).toContain('charge.failed');

    await send(h, 'invoice.paid', paid(invoice) as never, '2026-09-21T09:00:00Z');
    detail = await detailOf(h, invoice.id);
    expect(detail.state).toBe('paid');
    expect(detail.last_payment_error).toBeNull();
  });

  it('a send_invoice invoice that was never attempted has no reason to show', async () => {
    const h = harness();
    const invoice = makeInvoice({ status: 'open', collection_method: 'send_invoice', created: unix('2026-09-18T09:00:00Z') });
    await send(h, 'invoice.finalized', invoice as never, '2026-09-18T09:00:00Z');
    expect((await detailOf(h, invoice.id)).last_payment_error).toBeNull();
  });
});
