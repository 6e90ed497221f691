import { StatsSchema, type StatsResponse } from '../../../../backend/http/ledger-schemas.js';
import { createHarness, fakeClock, type Harness } from '../../../support/app-harness.js';
import { harnessScope, seedInvoice, seedTenant } from '../../../support/ledger-seed.js';

const d = (iso: string) => new Date(iso);

async function stats(h: Harness, qs = '', opts?: { mode?: string }): Promise<StatsResponse> {
  const res = await h.api('GET', `/api/stats${qs ? `?${qs}` : ''}`, undefined, opts);
  expect(res.status).toBe(200);
  return res.json();
}

const months = (from: string, n: number) =>
  Array.from({ length: n }, (_, i) => {
    const [y, m] = from.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1 + i, 1)).toISOString().slice(0, 7);
  });
/** A dense series for one currency: 0 except the given months. */
const series = (currency: string, first: string, n: number, revenue: Record<string, number>) =>
  months(first, n).map((month) => ({ month, currency, revenue: revenue[month] ?? 0 }));

/**
 * A ledger whose figures are computed by hand below (amounts in minor units; JPY has none):
 *
 * | inv | cur | status        | tenant | created           | paid  | remaining | refunded |
 * | u1  | usd | paid          | A      | 2026-01-15        | 10000 | 0         | 2500     |
 * | u2  | usd | paid          | B      | 2026-02-10        | 5000  | 0         | 0        |
 * | u3  | usd | open          | A      | 2026-02-20        | 0     | 3000      | 0        |
 * | u4  | usd | open past due | B      | 2025-12-05        | 800   | 1200      | 0        |
 * | u5  | usd | void          | -      | 2026-02-25        | 0     | 0         | 0        |
 * | u6  | usd | draft         | A      | 2026-01-01        | 0     | 400       | 0        |
 * | u7  | usd | deleted draft | A      | 2026-02-01        | -     | -         | -        |  (never counted)
 * | j1  | jpy | paid          | A      | 2026-02-01        | 12000 | 0         | 3000     |
 * | j2  | jpy | open          | B      | 2026-02-14        | 0     | 5000      | 0        |
 * | e1  | eur | uncollectible | -      | 2025-03-31 23:59  | 0     | 999       | 0        |
 * | e2  | eur | paid          | B      | 2025-11-30 23:30  | 4550  | 0         | 0        |
 * plus a paid usd invoice of 99999 in live mode, which the test-mode figures never include.
 */
async function ledger() {
  const h = createHarness({ clock: fakeClock('2026-03-01T00:00:00Z') });
  const scope = harnessScope(h);
  const a = await seedTenant(h.sql, scope, 'A');
  const b = await seedTenant(h.sql, scope, 'B');
  const inv = (over: Parameters<typeof seedInvoice>[2]) => seedInvoice(h.sql, scope, over);
  const paid = (amount: number) => ({ status: 'paid' as const, total: amount, amount_due: amount, amount_paid: amount, amount_remaining: 0 });
  const open = (amount: number) => ({ status: 'open' as const, total: amount, amount_due: amount, amount_paid: 0, amount_remaining: amount });
  await inv({ ...paid(10000), amount_refunded: 2500, tenant_id: a.id, created_at: d('2026-01-15T00:00:00Z') });
  await inv({ ...paid(5000), tenant_id: b.id, created_at: d('2026-02-10T00:00:00Z') });
  await inv({ ...open(3000), tenant_id: a.id, created_at: d('2026-02-20T00:00:00Z') });
  await inv({ status: 'open', total: 2000, amount_due: 2000, amount_paid: 800, amount_remaining: 1200, payment_failed: true, tenant_id: b.id, created_at: d('2025-12-05T00:00:00Z') });
  await inv({ status: 'void', total: 700, amount_due: 700, amount_remaining: 0, created_at: d('2026-02-25T00:00:00Z') });
  await inv({ ...open(400), status: 'draft', tenant_id: a.id, created_at: d('2026-01-01T00:00:00Z') });
  await inv({ ...open(8888), status: 'draft', deleted: true, tenant_id: a.id, created_at: d('2026-02-01T00:00:00Z') });
  await inv({ ...paid(12000), currency: 'jpy', amount_refunded: 3000, tenant_id: a.id, created_at: d('2026-02-01T00:00:00Z') });
  await inv({ ...open(5000), currency: 'jpy', tenant_id: b.id, created_at: d('2026-02-14T00:00:00Z') });
  await inv({ ...open(999), status: 'uncollectible', currency: 'eur', created_at: d('2025-03-31T23:59:59Z') });
  await inv({ ...paid(4550), currency: 'eur', tenant_id: b.id, created_at: d('2025-11-30T23:30:00Z') });
  await seedInvoice(h.sql, harnessScope(h, 'live'), { ...paid(99999), created_at: d('2026-02-01T00:00:00Z') });
  return { h, a, b };
}

describe('GET /api/stats', () => {
  it('answers the figures per currency, never summed across currencies', async () => {
    const { h } = await ledger();
    const body = await stats(h);
    StatsSchema.strict().parse(body);
    expect(body.currencies).toEqual([
      { currency: 'eur', total_revenue: 4550, total_refunded: 0, pending_amount: 0, invoice_count: 2 },
      { currency: 'jpy', total_revenue: 12000, total_refunded: 3000, pending_amount: 5000, invoice_count: 2 },
      { currency: 'usd', total_revenue: 15000, total_refunded: 2500, pending_amount: 4200, invoice_count: 6 },
    ]);
    expect(body.invoice_count).toBe(10);
    // the count is the invoice list's
    const listed = await (await h.api('GET', '/api/invoices?limit=100')).json();
    expect(listed.data).toHaveLength(body.invoice_count);
  });

  it('charts paid revenue per UTC month of creation for the 12 months ending now, per currency', async () => {
    const { h } = await ledger();
    const { monthly } = await stats(h);
    expect(monthly).toEqual([
      ...series('eur', '2025-04', 12, { '2025-11': 4550 }),
      ...series('jpy', '2025-04', 12, { '2026-02': 12000 }),
      ...series('usd', '2025-04', 12, { '2026-01': 10000, '2026-02': 5000 }),
    ]);
  });

  it('narrows everything to a tenant', async () => {
    const { h, a, b } = await ledger();
    const forA = await stats(h, `tenant_id=${a.id}`);
    expect(forA).toEqual({
      currencies: [
        { currency: 'jpy', total_revenue: 12000, total_refunded: 3000, pending_amount: 0, invoice_count: 1 },
        { currency: 'usd', total_revenue: 10000, total_refunded: 2500, pending_amount: 3000, invoice_count: 3 },
      ],
      invoice_count: 4,
      monthly: [...series('jpy', '2025-04', 12, { '2026-02': 12000 }), ...series('usd', '2025-04', 12, { '2026-01': 10000 })],
    });
    const forB = await stats(h, `tenant_id=${b.id}`);
    expect(forB.currencies).toEqual([
      { currency: 'eur', total_revenue: 4550, total_refunded: 0, pending_amount: 0, invoice_count: 1 },
      { currency: 'jpy', total_revenue: 0, total_refunded: 0, pending_amount: 5000, invoice_count: 1 },
      { currency: 'usd', total_revenue: 5000, total_refunded: 0, pending_amount: 1200, invoice_count: 2 },
    ]);
    expect(forB.invoice_count).toBe(4);
    expect(await stats(h, `tenant_id=${crypto.randomUUID()}`)).toEqual({ currencies: [], invoice_count: 0, monthly: [] });
  });

  it('narrows to a created_at range (from inclusive, to exclusive), the series included', async () => {
    const { h } = await ledger();
    expect(await stats(h, 'from=2026-02-01&to=2026-03-01')).toEqual({
      currencies: [
        { currency: 'jpy', total_revenue: 12000, total_refunded: 3000, pending_amount: 5000, invoice_count: 2 },
        { currency: 'usd', total_revenue: 5000, total_refunded: 0, pending_amount: 3000, invoice_count: 3 },
      ],
      invoice_count: 5,
      monthly: [
        { month: '2026-02', currency: 'jpy', revenue: 12000 },
        { month: '2026-02', currency: 'usd', revenue: 5000 },
      ],
    });
    const before = await stats(h, 'to=2026-01-01');
    expect(before.currencies).toEqual([
      { currency: 'eur', total_revenue: 4550, total_refunded: 0, pending_amount: 0, invoice_count: 2 },
      { currency: 'usd', total_revenue: 0, total_refunded: 0, pending_amount: 1200, invoice_count: 1 },
    ]);
    expect(before.monthly).toEqual(series('eur', '2025-01', 12, { '2025-11': 4550 }));
    // a date-time bound: the eur invoice created at 23:30 on 30 November is just inside
    expect((await stats(h, 'from=2025-11-30T23:30:00Z&to=2025-12-01')).currencies).toEqual([
      { currency: 'eur', total_revenue: 4550, total_refunded: 0, pending_amount: 0, invoice_count: 1 },
    ]);
  });

  it.each(['tenant_id=42', 'from=last-week', 'to=2026-02-31', 'from=2026-03-01&to=2026-02-01'])('answers 400 for %s', async (qs) => {
    const h = createHarness();
    const res = await h.api('GET', `/api/stats?${qs}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_request');
  });

  it('counts nothing of another account, and the other mode only its own', async () => {
    const { h } = await ledger();
    expect(await stats(createHarness())).toEqual({ currencies: [], invoice_count: 0, monthly: [] });
    const live = await stats(h, '', { mode: 'live' });
    expect(live.currencies).toEqual([{ currency: 'usd', total_revenue: 99999, total_refunded: 0, pending_amount: 0, invoice_count: 1 }]);
  });

  it('is documented in /openapi.json', async () => {
    const doc = await (await createHarness().app.request('/openapi.json')).json();
    const names = doc.paths['/api/stats'].get.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(['tenant_id', 'from', 'to']);
    expect(doc.components.schemas.Stats.properties.monthly.description).toMatch(/created_at/);
  });
});
