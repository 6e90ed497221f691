import { ensureAccount, type Scope } from '../../../../backend/domain/accounts.js';
import { applyInvoiceSnapshot, type InvoiceSnapshot } from '../../../../backend/domain/invoices.js';
import type { PastDueResponse, ScanResult } from '../../../../backend/http/past-due-schemas.js';
import { scopeJobName } from '../../../../backend/jobs/past-due-scan.js';
import { createHarness, fakeClock, type Harness } from '../../../support/app-harness.js';
import { startNotifyReceiver } from '../../../support/notify-receiver.js';
import { invoiceSnapshot } from '../../../support/ledger-seed.js';

const DAY = 86_400_000;
const NOW = new Date('2026-09-20T09:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);

let seq = 0;
const snap = (over: Partial<InvoiceSnapshot> = {}): InvoiceSnapshot =>
  invoiceSnapshot({
    external_id: `in_r${++seq}`,
    number: `R-${seq}`,
    customer_id: 'cus_1',
    collection_method: 'send_invoice',
    due_date: daysAgo(40),
    hosted_url: 'https://invoice.stripe.com/i/x',
    pdf_url: 'https://pay.stripe.com/invoice/x/pdf',
    created_at: daysAgo(70),
    ...over,
  });

async function put(h: Harness, scope: Scope, s: InvoiceSnapshot) {
  await ensureAccount(h.sql, scope.accountId);
  const id = `evt_${seq}`;
  return (await h.sql.begin((tx) => applyInvoiceSnapshot(tx, scope, s, { time: daysAgo(41), eventId: id, label: `event:${id}` }))).invoiceId;
}

const test = (h: Harness): Scope => ({ accountId: h.accountId, livemode: false });
const z = { count: 0, amount: 0 };

describe('GET /api/past-due and POST /api/past-due/scan', () => {
  it('scans the caller’s account and mode, then shows aging and the invoices', async () => {
    const h = createHarness({ clock: fakeClock(NOW), env: { NOTIFY_ALLOW_PRIVATE: 'true' } });
    let secret = '';
    const receiver = await startNotifyReceiver({ secret: () => secret });
    try {
      const settings = await (await h.api('PUT', '/api/settings', { notify_url: receiver.url, past_due_grace_days: 2 })).json();
      secret = settings.notify_secret;
      const tenant = await (await h.api('POST', '/api/tenants', { name: 'Globex' })).json();
      const id = await put(h, test(h), snap({ tenant_id: tenant.id, amount_remaining: 750 }));
      await put(h, test(h), snap({ due_date: daysAgo(2), amount_remaining: 99 })); // within the grace days
      await put(h, test(h), snap({ currency: 'jpy', due_date: daysAgo(95), amount_remaining: 4000 }));

      const scan = await h.api('POST', '/api/past-due/scan');
      expect(scan.status).toBe(200);
      const summary: ScanResult = await scan.json();
      expect(summary).toMatchObject({
        as_of: NOW.toISOString(),
        scope: { account_id: h.accountId, livemode: false },
        entered: 2,
        cleared: 0,
        notifications_created: { admin: 2, customer: 0 },
        deliveries: { delivered: 2, retrying: 0, failed: 0, cancelled: 0 },
      });
      expect(receiver.accepted().map((r) => r.json.step).sort()).toEqual([30, 30]);
      expect(receiver.requests.every((r) => r.verified)).toBe(true);

      const res = await h.api('GET', '/api/past-due');
      expect(res.status).toBe(200);
      const body: PastDueResponse = await res.json();
      expect(body.currencies).toEqual([
        { currency: 'jpy', buckets: { '1-30': z, '31-60': z, '61-90': z, '90+': { count: 1, amount: 4000 } }, total: { count: 1, amount: 4000 } },
        { currency: 'usd', buckets: { '1-30': z, '31-60': { count: 1, amount: 750 }, '61-90': z, '90+': z }, total: { count: 1, amount: 750 } },
      ]);
      expect(body.data.map((i) => [i.currency, i.days_past_due])).toEqual([['jpy', 95], ['usd', 40]]);
      // the same item shape as the invoice list: gateway status, the state badge
      expect(body.data[1]).toMatchObject({
        id,
        status: 'open',
        state: 'past_due',
        past_due: true,
        payment_failed: false,
        tenant: { id: tenant.id, name: 'Globex' },
        due_date: daysAgo(40).toISOString(),
        // 00:00 UTC of the day after the due date plus the 2 grace days
        past_due_since: '2026-08-14T00:00:00.000Z',
        dashboard_url: expect.stringMatching(/^https:\/\/dashboard\.stripe\.com\/test\/invoices\/in_r\d+$/),
        hosted_url: 'https://invoice.stripe.com/i/x',
      });
      expect(body.next_cursor).toBeNull();

      const byTenant: PastDueResponse = await (await h.api('GET', `/api/past-due?tenant_id=${tenant.id}`)).json();
      expect(byTenant.data.map((i) => i.id)).toEqual([id]);
      const jpy: PastDueResponse = await (await h.api('GET', '/api/past-due?currency=JPY')).json();
      expect(jpy.currencies.map((c) => c.currency)).toEqual(['jpy']);
      const page1: PastDueResponse = await (await h.api('GET', '/api/past-due?limit=1')).json();
      const page2: PastDueResponse = await (await h.api('GET', `/api/past-due?limit=1&cursor=${page1.next_cursor}`)).json();
      expect([...page1.data, ...page2.data].map((i) => i.currency)).toEqual(['jpy', 'usd']);
      expect(page2.next_cursor).toBeNull();

      // A second scan finds nothing new and sends nothing.
      expect(await (await h.api('POST', '/api/past-due/scan')).json()).toMatchObject({ entered: 0, notifications_created: { admin: 0 } });
      expect(receiver.requests).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  });

  it('never shows or scans another account’s or another mode’s invoices', async () => {
    const h = createHarness({ clock: fakeClock(NOW), env: { NOTIFY_ALLOW_PRIVATE: 'true' } });
    const other = createHarness({ clock: fakeClock(NOW), env: { NOTIFY_ALLOW_PRIVATE: 'true' } });
    await put(h, test(h), snap());
    const liveId = await put(h, { accountId: h.accountId, livemode: true }, snap());
    await put(other, test(other), snap());

    expect(await (await h.api('POST', '/api/past-due/scan')).json()).toMatchObject({ entered: 1 });
    // the scan of test mode recorded nothing in live mode
    const [live] = await h.sql`SELECT past_due FROM invoices WHERE id = ${liveId}`;
    expect(live.past_due).toBe(false);

    const mine: PastDueResponse = await (await h.api('GET', '/api/past-due')).json();
    expect(mine.data).toHaveLength(1);
    expect(mine.data[0].id).not.toBe(liveId);
    // live mode sees its own past-due invoice (derived when read, scanned or not), and only it
    const liveView: PastDueResponse = await (await h.api('GET', '/api/past-due', undefined, { mode: 'live' })).json();
    expect(liveView.data.map((i) => [i.id, i.dashboard_url?.startsWith('https://dashboard.stripe.com/invoices/')])).toEqual([[liveId, true]]);
    const empty: PastDueResponse = await (await other.api('GET', '/api/past-due', undefined, { mode: 'live' })).json();
    expect(empty).toEqual({ currencies: [], data: [], next_cursor: null });
    const theirs: PastDueResponse = await (await other.api('GET', '/api/past-due')).json();
    expect(theirs.data.map((i) => i.id)).not.toContain(mine.data[0].id);
    expect(theirs.data).toHaveLength(1);

    const otherTenant = await (await other.api('POST', '/api/tenants', { name: 'Not yours' })).json();
    const res = await h.api('GET', `/api/past-due?tenant_id=${otherTenant.id}`);
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatchObject({ code: 'not_found', message: 'tenant not found' });
  });

  it('answers 409 while a scan of the account is running', async () => {
    const h = createHarness({ clock: fakeClock(NOW), env: { NOTIFY_ALLOW_PRIVATE: 'true' } });
    await ensureAccount(h.sql, h.accountId);
    await h.sql`INSERT INTO job_runs (name, locked_until, locked_by) VALUES (${scopeJobName(test(h))}, now() + interval '1 minute', 'elsewhere')`;
    const res = await h.api('POST', '/api/past-due/scan');
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: 'scan_running', request_id: expect.any(String) });
    // The live mode of the same account is a different scope.
    expect((await h.api('POST', '/api/past-due/scan', undefined, { mode: 'live' })).status).toBe(200);
  });

  it('refuses bad filters with a clear 400 and unsigned calls with 401', async () => {
    const h = createHarness({ clock: fakeClock(NOW), env: { NOTIFY_ALLOW_PRIVATE: 'true' } });
    for (const [query, field] of [
      ['currency=dollars', 'currency'],
      ['tenant_id=abc', 'tenant_id'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
    ]) {
      const res = await h.api('GET', `/api/past-due?${query}`);
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe('invalid_request');
      expect(error.message).toContain(field);
    }
    expect((await h.api('GET', '/api/past-due?cursor=nonsense')).status).toBe(400);
    expect((await h.app.request('/api/past-due')).status).toBe(401);
    expect((await h.app.request('/api/past-due/scan', { method: 'POST' })).status).toBe(401);
  });

  it('is documented in /openapi.json', async () => {
    const h = createHarness();
    const doc = await (await h.app.request('/openapi.json')).json();
    expect(Object.keys(doc.paths['/api/past-due'])).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/past-due/scan'])).toEqual(['post']);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['PastDue', 'CurrencyAging', 'PastDueInvoice', 'ScanResult']));
  });
});
