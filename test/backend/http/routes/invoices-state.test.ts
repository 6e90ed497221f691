// Past due and Failed are derived when read (issue 12): an invoice delivered already late, or
// whose automatic payment failed, shows so in the very next read — list, filters, detail, aging —
// without the daily scan having run.
import type { InvoiceDetailResponse, InvoiceResponse } from '../../../../backend/http/ledger-schemas.js';
import type { PastDueResponse } from '../../../../backend/http/past-due-schemas.js';
import type { List } from '../../../../backend/http/schemas.js';
import type { ScanResult } from '../../../../backend/http/past-due-schemas.js';
import { createHarness, fakeClock, type Harness } from '../../../support/app-harness.js';
import { makeCustomer, makeInvoice, startFakeStripe } from '../../../support/fake-stripe.js';
import { invoicingRoutes } from '../../../support/fake-stripe-invoicing.js';
import { startNotifyReceiver } from '../../../support/notify-receiver.js';
import { deliver, paid, stripeEvent, unix, WEBHOOK_SECRET } from '../../../support/stripe-events.js';

const DAY = 86_400_000;
const NOW = new Date('2026-09-20T09:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);

function harness(now = NOW): Harness {
  return createHarness({ env: { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, NOTIFY_ALLOW_PRIVATE: 'true' }, clock: fakeClock(now) });
}

async function get<T>(h: Harness, path: string): Promise<T> {
  const res = await h.api('GET', path);
  expect(res.status, path).toBe(200);
  return res.json() as Promise<T>;
}
const list = (h: Harness, qs = '') => get<List<InvoiceResponse>>(h, `/api/invoices${qs ? `?${qs}` : ''}`);
const ids = async (h: Harness, qs: string) => (await list(h, qs)).data.map((i) => i.id);

async function post(h: Harness, type: 'invoice.finalized' | 'invoice.updated' | 'invoice.payment_failed' | 'invoice.paid', invoice: ReturnType<typeof makeInvoice>, at: Date) {
  const event = stripeEvent(type, invoice, { account: h.accountId, created: at });
  const res = await deliver(h.app, event, { timestamp: Math.floor(h.clock.now().getTime() / 1000) });
  expect(res.status).toBe(200);
}

async function ledgerId(h: Harness, stripeId: string): Promise<string> {
  const { data } = await list(h, `q=${stripeId}`);
  expect(data).toHaveLength(1);
  return data[0].id;
}

describe('invoice state derived at read time', () => {
  it('an invoice delivered 40 days past due is past due in the very next read, with no scan', async () => {
    const h = harness();
    const invoice = makeInvoice({
      status: 'open',
      collection_method: 'send_invoice',
      created: unix(daysAgo(70)),
      due_date: unix(daysAgo(40)),
      total: 7500,
    });
    await post(h, 'invoice.finalized', invoice, NOW);
    const id = await ledgerId(h, invoice.id);

    const item = (await list(h)).data.find((i) => i.id === id)!;
    expect(item).toMatchObject({ status: 'open', state: 'past_due', past_due: true, days_past_due: 40 });
    expect(await ids(h, 'status=past_due')).toEqual([id]);
    expect(await ids(h, 'status=open')).toEqual([id]);
    expect(await ids(h, 'status=failed')).toEqual([]);

    const detail = await get<InvoiceDetailResponse>(h, `/api/invoices/${id}`);
    expect(detail).toMatchObject({ status: 'open', state: 'past_due', past_due: true, days_past_due: 40 });

    const aging = await get<PastDueResponse>(h, '/api/past-due');
    expect(aging.currencies).toEqual([
      expect.objectContaining({ currency: 'usd', buckets: expect.objectContaining({ '31-60': { count: 1, amount: 7500 } }) }),
    ]);
    expect(aging.data.map((i) => [i.id, i.status, i.state, i.days_past_due])).toEqual([[id, 'open', 'past_due', 40]]);
    // the scan never ran: nothing was stored to make it so
    const [{ count }] = await h.sql`SELECT count(*)::int AS count FROM job_runs WHERE name LIKE ${`%${h.accountId}%`}`;
    expect(count).toBe(0);
  });

  it('a failed automatic payment is failed (and past due) at once; a later payment clears it', async () => {
    const h = harness();
    const invoice = makeInvoice({
      status: 'open',
      collection_method: 'charge_automatically',
      created: unix(daysAgo(12)),
      due_date: null,
      attempt_count: 1,
      attempted: true,
    });
    await post(h, 'invoice.finalized', invoice, daysAgo(12));
    await post(h, 'invoice.payment_failed', invoice, daysAgo(12));
    const id = await ledgerId(h, invoice.id);

    const item = (await list(h)).data.find((i) => i.id === id)!;
    expect(item).toMatchObject({ status: 'open', state: 'failed', past_due: true, days_past_due: 12, due_date: null });
    expect(await ids(h, 'status=failed')).toEqual([id]);
    expect(await ids(h, 'status=past_due')).toEqual([id]);
    expect(await ids(h, 'status=open')).toEqual([id]);
    const aging = await get<PastDueResponse>(h, '/api/past-due');
    expect(aging.data.map((i) => [i.id, i.state, i.payment_failed, i.days_past_due])).toEqual([[id, 'failed', true, 12]]);

    await post(h, 'invoice.paid', paid(invoice), daysAgo(1));
    expect((await list(h)).data.find((i) => i.id === id)).toMatchObject({
      status: 'paid',
      state: 'paid',
      past_due: false,
      days_past_due: 0,
    });
    expect(await ids(h, 'status=failed')).toEqual([]);
    expect(await ids(h, 'status=past_due')).toEqual([]);
    expect((await get<PastDueResponse>(h, '/api/past-due')).data).toEqual([]);
  });

  it('respects the grace days when read, and counts days exactly across a UTC midnight', async () => {
    const h = harness(new Date('2026-09-20T23:59:59Z'));
    // due 17 Sep 15:00 UTC: with 2 grace days, past due from 20 Sep 00:00 UTC
    const early = makeInvoice({ status: 'open', created: unix(daysAgo(30)), due_date: unix(new Date('2026-09-17T15:00:00Z')) });
    // due 18 Sep 23:59 UTC: past due from 21 Sep 00:00 UTC
    const late = makeInvoice({ status: 'open', created: unix(daysAgo(30)), due_date: unix(new Date('2026-09-18T23:59:00Z')) });
    await post(h, 'invoice.finalized', early, daysAgo(30));
    await post(h, 'invoice.finalized', late, daysAgo(30));
    const [earlyId, lateId] = [await ledgerId(h, early.id), await ledgerId(h, late.id)];
    const days = async () => {
      const byId = new Map((await list(h)).data.map((i) => [i.id, [i.state, i.days_past_due]]));
      return [byId.get(earlyId), byId.get(lateId)];
    };

    // no grace days: both past due, days counted from the due date's UTC day
    expect(await days()).toEqual([['past_due', 3], ['past_due', 2]]);
    expect((await h.api('PUT', '/api/settings', { past_due_grace_days: 2 })).status).toBe(200);
    expect(await days()).toEqual([['past_due', 3], ['open', 0]]);
    expect(await ids(h, 'status=past_due')).toEqual([earlyId]);
    expect((await get<PastDueResponse>(h, '/api/past-due')).data.map((i) => i.id)).toEqual([earlyId]);

    h.clock.set('2026-09-21T00:00:00Z'); // one second later, the next UTC day
    expect(await days()).toEqual([['past_due', 4], ['past_due', 3]]);
    expect(new Set(await ids(h, 'status=past_due'))).toEqual(new Set([earlyId, lateId]));
    const aging = await get<PastDueResponse>(h, '/api/past-due');
    expect(aging.currencies[0].total.count).toBe(2);
    expect(aging.data.find((i) => i.id === lateId)!.past_due_since).toBe('2026-09-21T00:00:00.000Z');
  });

  it('the scan still writes the entering and leaving history rows and notifies once', async () => {
    const h = harness();
    let secret = '';
    const receiver = await startNotifyReceiver({ secret: () => secret });
    try {
      secret = (await (await h.api('PUT', '/api/settings', { notify_url: receiver.url })).json()).notify_secret;
      const invoice = makeInvoice({ status: 'open', created: unix(daysAgo(20)), due_date: unix(daysAgo(10)) });
      await post(h, 'invoice.finalized', invoice, daysAgo(20));
      const id = await ledgerId(h, invoice.id);
      const history = async () =>
        (await get<InvoiceDetailResponse>(h, `/api/invoices/${id}`)).history.map((e) => `${e.from_status ?? '-'}>${e.to_status} ${e.source}`);
      // past due before any scan; the scan then records it and notifies, once
      expect((await get<InvoiceDetailResponse>(h, `/api/invoices/${id}`)).state).toBe('past_due');
      expect(await history()).toEqual([`->open event:${(await eventIds(h))[0]}`]);
      const scan = async () => (await (await h.api('POST', '/api/past-due/scan')).json()) as ScanResult;
      expect(await scan()).toMatchObject({ entered: 1, cleared: 0, notifications_created: { admin: 1 }, deliveries: { delivered: 1 } });
      expect((await scan())).toMatchObject({ entered: 0, notifications_created: { admin: 0 } });
      expect(receiver.requests).toHaveLength(1);
      expect(receiver.requests[0].json).toMatchObject({ step: 7, days: 10, invoice: { external_id: invoice.id } });
      expect((await history()).slice(1)).toEqual(['open>past_due job:past-due-scan']);

      // The due date moves to next week: no longer past due when read, and the scan records leaving.
      await post(h, 'invoice.updated', { ...invoice, due_date: unix(new Date(NOW.getTime() + 7 * DAY)) }, daysAgo(0.1));
      expect((await get<InvoiceDetailResponse>(h, `/api/invoices/${id}`))).toMatchObject({ state: 'open', past_due: false, days_past_due: 0 });
      expect(await scan()).toMatchObject({ entered: 0, cleared: 1 });
      expect((await history()).slice(1)).toEqual(['open>past_due job:past-due-scan', 'past_due>open job:past-due-scan']);
      expect(receiver.requests).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});

async function eventIds(h: Harness): Promise<string[]> {
  const { data } = await get<List<{ event_id: string }>>(h, '/api/events');
  return data.map((e) => e.event_id).reverse();
}

describe('retry payment is offered for failed and automatic invoices only', () => {
  it('refuses a send_invoice invoice that never had an attempt (409, before calling Stripe), retries a failed one', async () => {
    const fake = await startFakeStripe({ routes: invoicingRoutes() });
    try {
      const h = createHarness({
        env: { STRIPE_SECRET_KEY: fake.secretKey, STRIPE_API_URL: fake.url, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET },
      });
      const customer = makeCustomer();
      fake.seedCustomers(h.accountId, [customer]);
      const manual = makeInvoice({ customer: customer.id, status: 'open', collection_method: 'send_invoice', attempt_count: 0 });
      const failed = makeInvoice({ customer: customer.id, status: 'open', collection_method: 'charge_automatically', attempt_count: 1, attempted: true });
      fake.seedInvoices(h.accountId, [manual, failed]);
      const now = new Date();
      await post(h, 'invoice.finalized', manual, now);
      await post(h, 'invoice.payment_failed', failed, now);

      const refused = await h.api('POST', `/api/invoices/${await ledgerId(h, manual.id)}/retry`);
      expect(refused.status).toBe(409);
      expect((await refused.json()).error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/no payment was attempted/) });
      expect(fake.requests.filter((r) => r.path === `/v1/invoices/${manual.id}/pay`)).toEqual([]);

      const failedId = await ledgerId(h, failed.id);
      expect((await list(h, 'status=failed')).data.map((i) => i.id)).toEqual([failedId]);
      const retried = await h.api('POST', `/api/invoices/${failedId}/retry`);
      expect(retried.status).toBe(200);
      expect((await retried.json()).invoice).toMatchObject({ status: 'paid', state: 'paid', past_due: false });
      expect((await list(h, 'status=failed')).data).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
