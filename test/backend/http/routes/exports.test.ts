import { createHarness, fakeClock, type Harness } from '../../../support/app-harness.js';
import { harnessScope, seedEvent, seedInvoice, seedTenant } from '../../../support/ledger-seed.js';

const d = (iso: string) => new Date(iso);
const INVOICE_HEADER =
  'id,number,gateway,external_id,tenant_id,tenant_name,customer_id,status,past_due,days_past_due,currency,total,tax,' +
  'amount_due,amount_paid,amount_remaining,amount_refunded,due_date,created_at,paid_at';

async function link(h: Harness, kind: string, filters: Record<string, string> = {}, mode = 'test') {
  const res = await h.api('POST', '/api/exports', { kind, filters }, { mode });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { url: string; expires_at: string };
  return { ...body, path: new URL(body.url).pathname };
}

/** The CSV as lines, fetched without any app header (as a new browser tab would). */
async function download(h: Harness, path: string): Promise<string[]> {
  const res = await h.app.request(path);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const text = await res.text();
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

/**
 * Three invoices of the harness account in test mode, by hand:
 * | number | tenant     | cur | status        | total     | paid    | remaining | created    | due        |
 * | U-1    | Acme, Inc. | usd | paid 02-10    | 123.45    | 123.45  | 0         | 2026-02-01 | -          |
 * | J-1    | Acme, Inc. | jpy | open          | 5000      | 0       | 5000      | 2026-02-05 | 2026-03-20 |
 * | K-1    | -          | kwd | open past due | 1.234     | 0       | 1.234     | 2026-01-10 | 2026-01-20 |
 * plus one in live mode (L-1) and one of another account (O-1), which no test-mode link shows.
 */
async function ledger() {
  const h = createHarness({ clock: fakeClock('2026-03-01T00:00:00Z') });
  const scope = harnessScope(h);
  const acme = await seedTenant(h.sql, scope, 'Acme, Inc.');
  const u1 = await seedInvoice(
    h.sql,
    scope,
    {
      number: 'U-1', external_id: 'in_u1', customer_id: 'cus_acme', tenant_id: acme.id, currency: 'usd', total: 12345,
      tax: 1045, amount_due: 12345, amount_paid: 12345, amount_remaining: 0, amount_refunded: 500, status: 'paid',
      created_at: d('2026-02-01T00:00:00Z'),
    },
    { time: d('2026-02-10T08:30:00Z') },
  );
  const j1 = await seedInvoice(h.sql, scope, {
    number: 'J-1', external_id: 'in_j1', customer_id: 'cus_acme', tenant_id: acme.id, currency: 'jpy', total: 5000,
    amount_due: 5000, amount_remaining: 5000, due_date: d('2026-03-20T00:00:00Z'), created_at: d('2026-02-05T00:00:00Z'),
  });
  const k1 = await seedInvoice(
    h.sql,
    scope,
    {
      number: 'K-1', external_id: 'in_k1', customer_id: 'cus_other', currency: 'kwd', total: 1234, amount_due: 1234,
      amount_remaining: 1234, due_date: d('2026-01-20T00:00:00Z'), overdue: true, created_at: d('2026-01-10T00:00:00Z'),
    },
    { time: d('2026-01-21T00:00:00Z') },
  );
  await seedInvoice(h.sql, harnessScope(h, 'live'), { number: 'L-1', created_at: d('2026-02-02T00:00:00Z') });
  const other = createHarness({ clock: h.clock });
  await seedInvoice(h.sql, harnessScope(other), { number: 'O-1', created_at: d('2026-02-03T00:00:00Z') });
  return { h, other, acme, u1, j1, k1 };
}

describe('CSV exports', () => {
  it('streams every invoice of the list as CSV: header, major units, currency, ISO dates, tenant name', async () => {
    const { h, acme, u1, j1, k1 } = await ledger();
    const { url, expires_at, path } = await link(h, 'invoices');
    expect(url).toMatch(/^http:\/\/localhost\/exports\/[\w-]+\.[\w-]+$/);
    expect(expires_at).toBe('2026-03-01T00:10:00.000Z');
    const res = await h.app.request(path);
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="tenant-billing-invoices-test-20260301T000000Z.csv"',
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await res.text()).split('\n')).toEqual([
      INVOICE_HEADER,
      // newest first, as the list
      `${j1},J-1,stripe,in_j1,${acme.id},"Acme, Inc.",cus_acme,open,false,0,jpy,5000,0,5000,0,5000,0,2026-03-20T00:00:00.000Z,2026-02-05T00:00:00.000Z,`,
      `${u1},U-1,stripe,in_u1,${acme.id},"Acme, Inc.",cus_acme,paid,false,0,usd,123.45,10.45,123.45,123.45,0.00,5.00,,2026-02-01T00:00:00.000Z,2026-02-10T08:30:00.000Z`,
      `${k1},K-1,stripe,in_k1,,,cus_other,open,true,40,kwd,1.234,0.000,1.234,0.000,1.234,0.000,2026-01-20T00:00:00.000Z,2026-01-10T00:00:00.000Z,`,
      '',
    ]);
  });

  it('honours the list filters, validated as the list validates them', async () => {
    const { h, acme, j1, k1 } = await ledger();
    const pastDue = await download(h, (await link(h, 'invoices', { status: 'past_due' })).path);
    expect(pastDue.map((l) => l.split(',')[0])).toEqual(['id', k1]);
    const byTenant = await download(h, (await link(h, 'invoices', { tenant_id: acme.id, from: '2026-02-03' })).path);
    expect(byTenant.map((l) => l.split(',')[0])).toEqual(['id', j1]);
    const search = await download(h, (await link(h, 'invoices', { q: 'k-1' })).path);
    expect(search.map((l) => l.split(',')[0])).toEqual(['id', k1]);
    // nothing matches: the header alone
    expect(await download(h, (await link(h, 'invoices', { gateway: 'paypal' })).path)).toEqual([INVOICE_HEADER]);

    for (const [filters, message] of [
      [{ status: 'late' }, /filters\.status/],
      [{ from: 'yesterday' }, /filters\.from: must be an ISO 8601 date/],
      [{ limit: '10' }, /filters\.limit: not a filter of the invoices list/],
      [{ processed: 'true' }, /filters\.processed: not a filter of the invoices list/],
    ] as const) {
      const res = await h.api('POST', '/api/exports', { kind: 'invoices', filters });
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe('invalid_request');
      expect(error.message).toMatch(message);
    }
    expect((await h.api('POST', '/api/exports', { kind: 'tenants', filters: {} })).status).toBe(400);
    expect((await h.api('POST', '/api/exports', { kind: 'invoices', filters: { status: 1 } })).status).toBe(400);
  });

  it('exports the past-due list with its aging and the event log with its filters', async () => {
    const { h, k1, j1 } = await ledger();
    expect(await download(h, (await link(h, 'past_due')).path)).toEqual([
      'id,number,gateway,external_id,tenant_id,tenant_name,customer_id,currency,total,amount_remaining,due_date,' +
        'past_due_since,days_past_due,aging_bucket,payment_failed,created_at',
      `${k1},K-1,stripe,in_k1,,,cus_other,kwd,1.234,1.234,2026-01-20T00:00:00.000Z,2026-01-21T00:00:00.000Z,40,31-60,false,2026-01-10T00:00:00.000Z`,
    ]);
    expect(await download(h, (await link(h, 'past_due', { currency: 'USD' })).path)).toHaveLength(1);

    const scope = harnessScope(h);
    const paid = await seedEvent(h.sql, scope, {
      type: 'invoice.paid', event_id: 'evt_paid_1', invoice_id: j1, occurred_at: d('2026-02-06T00:00:00Z'),
    });
    await seedEvent(h.sql, scope, { type: 'invoice.finalized', event_id: 'evt_fin_1', occurred_at: d('2026-02-05T00:00:00Z') });
    const lines = await download(h, (await link(h, 'events', { type: 'invoice.paid' })).path);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      'id,occurred_at,received_at,gateway,type,event_id,tenant_id,tenant_name,processed,ignored,error,invoice_id,' +
        'invoice_number,invoice_status,currency,invoice_total',
    );
    expect(lines[1]).toMatch(
      new RegExp(`^${paid},2026-02-06T00:00:00.000Z,[^,]+,stripe,invoice.paid,evt_paid_1,,,true,false,,${j1},J-1,open,jpy,5000$`),
    );
  });

  it('expires after 10 minutes (410), and a tampered link is not found (404)', async () => {
    const { h } = await ledger();
    const { path } = await link(h, 'invoices');
    h.clock.advance(10 * 60 * 1000 - 1000);
    expect((await h.app.request(path)).status).toBe(200);
    h.clock.advance(1000);
    const expired = await h.app.request(path);
    expect(expired.status).toBe(410);
    expect((await expired.json()).error.code).toBe('export_expired');

    h.clock.advance(-60_000);
    const [body, sig] = path.slice('/exports/'.length).split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = (c: unknown) => `/exports/${Buffer.from(JSON.stringify(c)).toString('base64url')}.${sig}`;
    for (const bad of [
      `/exports/${body}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`, // signature changed
      forged({ ...claims, e: claims.e + 3600 }), // expiry pushed later
      forged({ ...claims, f: { status: 'paid' } }), // filters changed
      `/exports/${body}`,
      '/exports/not-a-token',
    ]) {
      const res = await h.app.request(bad);
      expect(res.status, bad).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
    }
  });

  it('binds the link to its account and mode: a link of A never serves B, test never serves live', async () => {
    const { h, other } = await ledger();
    const numbers = (lines: string[]) => lines.slice(1).map((l) => l.split(',')[1]);
    const ofA = await link(h, 'invoices');
    expect(numbers(await download(h, ofA.path))).toEqual(['J-1', 'U-1', 'K-1']);
    const ofB = await link(other, 'invoices');
    expect(numbers(await download(h, ofB.path))).toEqual(['O-1']);
    const live = await link(h, 'invoices', {}, 'live');
    expect(numbers(await download(h, live.path))).toEqual(['L-1']);

    // A's link with B's account (or live mode) in it does not verify
    const [body, sig] = ofA.path.slice('/exports/'.length).split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    for (const c of [{ ...claims, a: other.accountId }, { ...claims, m: true }]) {
      const res = await h.app.request(`/exports/${Buffer.from(JSON.stringify(c)).toString('base64url')}.${sig}`);
      expect(res.status).toBe(404);
    }
    // a tenant of another account is not found, as in the lists
    const tenantOfB = await seedTenant(h.sql, harnessScope(other), 'B tenant');
    const res = await h.app.request((await link(h, 'invoices', { tenant_id: tenantOfB.id })).path);
    expect(res.status).toBe(404);
    // and asking for a link needs the app's signature
    const unsigned = await h.app.request('/api/exports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'invoices', filters: {} }),
    });
    expect(unsigned.status).toBe(401);
  });
});
