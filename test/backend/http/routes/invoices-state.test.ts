// Past due and Failed are derived when read (issue 12): an invoice delivered already late, or
// whose automatic payment failed, shows so in the very next read — list, filters, detail, aging —
// without the daily scan having run.
import type { InvoiceDetailResponse, InvoiceResponse } from '../../../../backend/http/ledger-schemas.js';
import type { PastDueResponse } from '../../../../backend/http/past-due-schemas.js';
import type { List } from '../../../../backend/http/schemas.js';
import { createHarness, fakeClock, type Harness } from '../../../support/app-harness.js';
import { makeInvoice } from '../../../support/fake-stripe.js';
import { deliver, paid, stripeEvent, unix, WEBHOOK_SECRET } from '../../../support/stripe-events.js';

const DAY = 86_400_000;
const NOW = new Date('2026-09-20T09:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);

function harness(now = NOW): Harness {
  return createHarness({ env: { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET }, clock: fakeClock(now) });
}

async function get<T>(h: Harness, path: string): Promise<T> {
  const res = await h.api('GET', path);
  expect(res.status, path).toBe(200);
  return res.json() as Promise<T>;
}
const list = (h: Harness, qs = '') => get<List<InvoiceResponse>>(h, `/api/invoices${qs ? `?${qs}` : ''}`);
const ids = async (h: Harness, qs: string) => (await list(h, qs)).data.map((i) => i.id);

async function post(h: Harness, type: 'invoice.finalized' | 'invoice.payment_failed' | 'invoice.paid', invoice: ReturnType<typeof makeInvoice>, at: Date) {
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
});
