import { render } from '@stripe/ui-extension-sdk/testing';
import { Badge, Banner, Link, SearchField, Spinner } from '@stripe/ui-extension-sdk/ui';
import InvoiceDetail from '../../../stripe-app/src/views/InvoiceDetail';
import type { InvoiceDetail as Detail } from '../../../stripe-app/src/api/invoice-types';
import { fakeHost } from '../host';
import {
  TENANT_ID,
  apiError,
  context,
  findAll,
  fakeBackend,
  invoice,
  invoiceDetail,
  list,
  pending,
  press,
  seen,
  settle,
  tenant,
  actionResult,
} from '../support';

vi.mock('@stripe/ui-extension-sdk/utils', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@stripe/ui-extension-sdk/utils')>()),
  fetchStripeSignature: vi.fn(async () => 'sig'),
}));
afterEach(() => vi.unstubAllGlobals());

const LEDGER_ID = invoice().id;
/** a detail with the fields the contract adds (state, dashboard_url, lines, last_payment_error) */
const detail = (over: Partial<Detail> = {}): Detail => ({ ...invoiceDetail(), ...over });
const props = () => context('stripe.dashboard.invoice.detail', { objectId: 'in_1Abc', object: 'invoice' });
describe('InvoiceDetail', () => {
  test('loading: a spinner while the ledger is asked', async () => {
    fakeBackend({ 'GET /api/invoices': pending });
    const { wrapper, update } = render(<InvoiceDetail {...props()} />);
    await settle(update);
    expect(wrapper).toContainComponent(Spinner);
  });

  test('error: the API error and a retry that asks again', async () => {
    let fail = true;
    const backend = fakeBackend({
      'GET /api/invoices': () => (fail ? apiError(503, 'database_unavailable', 'the database is unavailable; retry later') : list([invoice()])),
      [`GET /api/invoices/${LEDGER_ID}`]: () => invoiceDetail(),
    });
    const { wrapper, update } = render(<InvoiceDetail {...props()} />);
    await settle(update);
    expect(seen(wrapper)).toContain('Could not load the invoice');
    expect(seen(wrapper)).toContain('the database is unavailable; retry later (request req_test)');
    fail = false;
    press(wrapper, 'Try again');
    await settle(update);
    expect(backend.to('GET', '/api/invoices')).toHaveLength(2);
    expect(seen(wrapper)).toContain('INV-0042');
  });

  test('empty: an invoice the ledger does not have yet', async () => {
    const backend = fakeBackend({ 'GET /api/invoices': () => list([invoice({ external_id: 'in_1AbcOther' })]) });
    const { wrapper, update } = render(<InvoiceDetail {...props()} />);
    await settle(update);
    expect(backend.calls[0].url.searchParams.get('q')).toBe('in_1Abc');
    expect(seen(wrapper)).toContain('This invoice is not in the tenant ledger yet');
  });

  test('filled: tenant, past-due status and days, amounts, refunds, history and PDF link', async () => {
    fakeBackend({
      'GET /api/invoices': () => list([invoice()]),
      [`GET /api/invoices/${LEDGER_ID}`]: () =>
        invoiceDetail({
          past_due: true,
          days_past_due: 12,
          amount_refunded: 1000,
          history: [
            { from_status: null, to_status: 'open', at: '2026-02-01T00:00:00.000Z', source: 'event:evt_open', note: null },
            { from_status: 'open', to_status: 'past_due', at: '2026-03-02T06:00:00.000Z', source: 'job:past-due-scan', note: null },
          ],
          events: [
            { id: 'e1', type: 'charge.refunded', gateway: 'stripe', occurred_at: '2026-03-03T00:00:00.000Z', processed: true },
          ],
        }),
    });
    const { wrapper, update } = render(<InvoiceDetail {...props()} />);
    await settle(update);
    expect(seen(wrapper)).toContain('INV-0042');
    expect(seen(wrapper)).toContain('Past due');
    expect(seen(wrapper)).toContain('Past due for 12 days');
    expect(seen(wrapper)).toContain('Acme Studio');
    expect(seen(wrapper)).toContain('$1,234.56');
    expect(seen(wrapper)).toContain('Refunded $10.00');
    expect(seen(wrapper)).toContain('charge.refunded');
    expect(seen(wrapper)).toContain('Open → Past due');
    expect(seen(wrapper)).toContain('by daily scan');
    expect(seen(wrapper)).toContain('by Stripe event');
    expect(seen(wrapper)).not.toContain('evt_open');
    expect(wrapper).toContainComponent(Link, { href: 'https://pay.stripe.com/invoice/acct/test_inv/pdf' });
  });

  test('an action asks for confirmation, calls the API, and shows the result', async () => {
    const backend = fakeBackend({
      'GET /api/invoices': () => list([invoice()]),
      [`GET /api/invoices/${LEDGER_ID}`]: () =>
        backend.to('POST', `/api/invoices/${LEDGER_ID}/void`).length ? invoiceDetail({ status: 'void' }) : invoiceDetail(),
      [`POST /api/invoices/${LEDGER_ID}/void`]: () => actionResult('void', { status: 'void', amount_remaining: 500 }),
    });
    const { wrapper, update } = render(<InvoiceDetail {...props()} />);
    await settle(update);
    press(wrapper, 'Void invoice');
    await settle(update);
    expect(seen(wrapper)).toContain('Void this invoice? This cannot be undone.');
    expect(backend.to('POST', `/api/invoices/${LEDGER_ID}/void`)).toHaveLength(0); // not before confirming
    press(wrapper, 'Confirm');
    await settle(update);
    expect(backend.to('POST', `/api/invoices/${LEDGER_ID}/void`)).toHaveLength(1);
    expect(seen(wrapper)).toContain('Invoice voided. Status: Void.');
    // the detail was fetched again: the void invoice offers no actions any more
    expect(seen(wrapper)).toContain('No actions for a void invoice.');
  });

  test('cancelling a confirmation calls nothing', async () => {
    const backend = fakeBackend({
      'GET /api/invoices': () => list([invoice()]),
      [`GET /api/invoices/${LEDGER_ID}`]: () => invoiceDetail(),
    });
    const { wrapper, update } = render(<InvoiceDetail {...props()} />);
    await settle(update);
    press(wrapper, 'Retry payment');
    await settle(update);
    press(wrapper, 'Cancel');
    await settle(update);
    expect(backend.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    expect(seen(wrapper)).toContain('Send reminder');
  });

  test('a failed action shows the API message', async () => {
    fakeBackend({
      'GET /api/invoices': () => list([invoice()]),
      [`GET /api/invoices/${LEDGER_ID}`]: () => invoiceDetail(),
      [`POST /api/invoices/${LEDGER_ID}/retry`]: () =>
        apiError(402, 'card_declined', 'Your card was declined.'),
    });
    const { wrapper, update } = render(<InvoiceDetail {...props()} />);
    await settle(update);
    press(wrapper, 'Retry payment');
    await settle(update);
    press(wrapper, 'Confirm');
    await settle(update);
    expect(wrapper).toContainComponent(Banner, { type: 'critical' });
    expect(seen(wrapper)).toContain('Retry payment failed: Your card was declined. (request req_test)');
  });

  test('an invoice without a tenant can be assigned one (links its customer)', async () => {
    let linked = false;
    const backend = fakeBackend({
      'GET /api/invoices': () => list([invoice({ tenant: null })]),
      [`GET /api/invoices/${LEDGER_ID}`]: () => invoiceDetail({ tenant: linked ? { id: TENANT_ID, name: 'Acme Studio' } : null }),
      'GET /api/tenants': () => list([tenant()]),
      [`POST /api/tenants/${TENANT_ID}/links`]: (req) => {
        linked = true;
        return { id: 'l1', ...(req.body as object), created_at: '2026-03-01T00:00:00.000Z' };
      },
    });
    const { wrapper, update } = render(<InvoiceDetail {...props()} />);
    await settle(update);
    expect(seen(wrapper)).toContain('Customer cus_Acme is not linked to a tenant.');
    wrapper.find(SearchField)!.trigger('onInputChange', 'acme');
    await settle(update);
    expect(backend.last('GET', '/api/tenants').url.searchParams.get('q')).toBe('acme');
    wrapper.find(SearchField)!.trigger('onSelectionChange', TENANT_ID);
    await settle(update);
    press(wrapper, 'Assign tenant');
    await settle(update);
    expect(backend.last('POST', `/api/tenants/${TENANT_ID}/links`).body).toEqual({ gateway: 'stripe', external_id: 'cus_Acme' });
    expect(seen(wrapper)).not.toContain('is not linked to a tenant');
    expect(seen(wrapper)).toContain('Acme Studio');
  });

  test('PayPal invoices offer no Stripe actions', async () => {
    fakeBackend({
      'GET /api/invoices': () => list([invoice({ gateway: 'paypal' })]),
      [`GET /api/invoices/${LEDGER_ID}`]: () => invoiceDetail({ gateway: 'paypal', currency: 'kwd', total: 1234567 }),
    });
    const { wrapper, update } = render(<InvoiceDetail {...props()} />);
    await settle(update);
    expect(seen(wrapper)).toContain('Actions are available for Stripe invoices');
    expect(seen(wrapper)).toContain('KWD');
    expect(seen(wrapper)).toContain('1,234.567');
  });

  test('line items: usage, fixed fee, adjustment and tax with their periods, and the total', async () => {
    fakeBackend({
      'GET /api/invoices': () => list([invoice()]),
      [`GET /api/invoices/${LEDGER_ID}`]: () =>
        detail({
          total: 12650,
          lines: [
            { description: 'API calls', quantity: 1500, amount: 7500, currency: 'usd', period_start: '2026-09-01T00:00:00.000Z', period_end: '2026-09-30T00:00:00.000Z', kind: 'usage' },
            { description: 'Monthly minimum', quantity: 1, amount: 5000, currency: 'usd', period_start: null, period_end: null, kind: 'fixed' },
            { description: 'Outage credit', quantity: null, amount: -1000, currency: 'usd', period_start: null, period_end: null, kind: 'adjustment' },
            { description: 'Sales tax', quantity: null, amount: 1150, currency: 'usd', period_start: null, period_end: null, kind: 'tax' },
          ],
        }),
    });
    const { wrapper, update } = render(<InvoiceDetail {...props()} />);
    await settle(update);
    const text = seen(wrapper);
    expect(text).toContain('Line items');
    for (const s of ['API calls', '1500', '$75.00', 'Monthly minimum', 'Fixed fee', '$50.00', 'Outage credit', 'Adjustment', '-$10.00', 'Sales tax', '$11.50', '$126.50']) {
      expect(text).toContain(s);
    }
    expect(text).toMatch(/Usage · Sep 1\s–\s30, 2026/);
  });

  test('links: PDF and payment page of an open invoice; "Open in Stripe" is left out on Stripe’s own page', async () => {
    fakeBackend({
      'GET /api/invoices': () => list([invoice()]),
      [`GET /api/invoices/${LEDGER_ID}`]: () => detail({ dashboard_url: 'https://dashboard.stripe.com/test/invoices/in_1Abc' }),
    });
    const { wrapper, update } = render(<InvoiceDetail {...props()} />);
    await settle(update);
    expect(wrapper).toContainComponent(Link, { href: 'https://pay.stripe.com/invoice/acct/test_inv/pdf' });
    expect(wrapper).toContainComponent(Link, { href: 'https://invoice.stripe.com/i/acct/test_inv' });
    expect(seen(wrapper)).toContain('Payment page');
    expect(seen(wrapper)).not.toContain('Open in Stripe');
  });

  test('a paid invoice links its receipt', async () => {
    fakeBackend({
      'GET /api/invoices': () => list([invoice()]),
      [`GET /api/invoices/${LEDGER_ID}`]: () => detail({ status: 'paid', state: 'paid', amount_paid: 123456, amount_remaining: 0 }),
    });
    const { wrapper, update } = render(<InvoiceDetail {...props()} />);
    await settle(update);
    expect(seen(wrapper)).toContain('Receipt');
    expect(wrapper).toContainComponent(Link, { href: 'https://invoice.stripe.com/i/acct/test_inv' });
  });

  test('failed: its own badge, the last payment error, and Retry payment offered first', async () => {
    fakeBackend({
      'GET /api/invoices': () => list([invoice()]),
      [`GET /api/invoices/${LEDGER_ID}`]: () =>
        detail({ state: 'failed', past_due: true, days_past_due: 2, collection_method: 'send_invoice', attempt_count: 1, last_payment_error: 'Your card has insufficient funds.' }),
    });
    const { wrapper, update } = render(<InvoiceDetail {...props()} />);
    await settle(update);
    expect(wrapper).toContainComponent(Badge, { type: 'negative' });
    expect(seen(wrapper)).toContain('Failed');
    expect(seen(wrapper)).toContain('Payment failed');
    expect(seen(wrapper)).toContain('The last payment attempt did not go through: Your card has insufficient funds.');
    expect(findAll(wrapper, 'Button').find((b) => b.text === 'Retry payment')?.props.type).toBe('primary');
  });

  test('a send_invoice invoice nobody tried to pay offers no retry', async () => {
    fakeBackend({
      'GET /api/invoices': () => list([invoice()]),
      [`GET /api/invoices/${LEDGER_ID}`]: () => detail({ collection_method: 'send_invoice', attempt_count: 0 }),
    });
    const { wrapper, update } = render(<InvoiceDetail {...props()} />);
    await settle(update);
    expect(seen(wrapper)).toContain('Send reminder');
    expect(findAll(wrapper, 'Button').map((b) => b.text)).not.toContain('Retry payment');
  });

  test('after an action: the detail is re-read, the Dashboard refreshed, a toast names the invoice by number', async () => {
    const host = fakeHost();
    let voided = false;
    const backend = fakeBackend({
      'GET /api/invoices': () => list([invoice()]),
      [`GET /api/invoices/${LEDGER_ID}`]: () => (voided ? detail({ status: 'void', state: 'void' }) : detail()),
      [`POST /api/invoices/${LEDGER_ID}/void`]: () => {
        voided = true;
        return actionResult('void', { status: 'void' });
      },
    });
    const { wrapper, update } = render(<InvoiceDetail {...props()} />);
    await settle(update);
    press(wrapper, 'Void invoice');
    await settle(update);
    press(wrapper, 'Confirm');
    await settle(update);
    expect(backend.to('GET', `/api/invoices/${LEDGER_ID}`)).toHaveLength(2);
    expect(host.refreshes).toBe(1);
    expect(host.toasts).toEqual([{ message: 'INV-0042 voided', type: 'success' }]);
    expect(findAll(wrapper, 'Badge').map((b) => b.text)).toContain('Void');
  });

  test('readable names: a draft by tenant and date, history by "you" and "an admin", never raw ids', async () => {
    fakeBackend({
      'GET /api/invoices': () => list([invoice({ number: null, status: 'draft', external_id: 'in_1Abc' })]),
      [`GET /api/invoices/${LEDGER_ID}`]: () =>
        detail({
          number: null,
          status: 'draft',
          state: 'draft',
          created_at: '2026-03-08T12:00:00.000Z',
          history: [
            { from_status: null, to_status: 'draft', at: '2026-03-08T12:00:00.000Z', source: 'user:usr_admin', note: null },
            { from_status: 'draft', to_status: 'open', at: '2026-03-09T12:00:00.000Z', source: 'user:usr_someone_else', note: null },
          ],
        }),
    });
    const { wrapper, update } = render(<InvoiceDetail {...props()} />);
    await settle(update);
    const text = seen(wrapper);
    expect(text).toContain('Draft · Acme Studio · Mar 8, 2026');
    expect(text).toContain('by you');
    expect(text).toContain('by an admin');
    expect(text).not.toMatch(/usr_/);
    // the in_… id appears only as the "Gateway id" property, never as the heading
    expect(text.split('\n').filter((l) => l.includes('in_1Abc'))).toEqual(['in_1Abc']);
  });
});
