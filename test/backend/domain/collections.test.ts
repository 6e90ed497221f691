// The account-wide collections figures come from the daily rollup of migration 021 plus the
// partial days at the window's edges; a tenant's from its invoices alone. With every invoice under
// one tenant the two must agree exactly, whatever the invoices went through and wherever the
// window's edges fall.
import { ensureAccount, type Scope } from '../../../backend/domain/accounts.js';
import { getCollections } from '../../../backend/domain/collections.js';
import type { InvoiceStatus } from '../../../backend/domain/invoice-status.js';
import { newAccountId, testSql } from '../../support/app-harness.js';
import { seedInvoice, seedTenant } from '../../support/ledger-seed.js';

const sql = testSql();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.parse('2026-03-01T00:00:00Z');
// after every event of the ledger below (the last is at most 44 days after START), in mid-day
const NOW = new Date(START + 44 * DAY + 13 * HOUR);

/** A small deterministic generator (the same ledger on every run). */
function lcg(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s % n;
  };
}

const withoutTenants = <T extends { currencies: { tenants: unknown }[] }>(c: T) => ({
  ...c,
  currencies: c.currencies.map(({ tenants: _, ...rest }) => rest),
});

describe('collections from the daily rollup', () => {
  it('equal the figures read from the invoices, for windows cut anywhere, after payments, voids, refunds of the remainder and deletions', async () => {
    const scope: Scope = { accountId: newAccountId(), livemode: false };
    await ensureAccount(sql, scope.accountId);
    const tenant = await seedTenant(sql, scope, 'Only tenant');
    const rand = lcg(42);
    const currencies = ['usd', 'eur', 'jpy'];
    const endStates: InvoiceStatus[] = ['paid', 'paid', 'void', 'uncollectible', 'open', 'open', 'draft'];

    for (let n = 0; n < 60; n++) {
      const created = new Date(START + rand(30 * 24) * HOUR + rand(60) * 60_000);
      const amount = 100 + rand(5_000);
      const base = {
        gateway: n % 5 === 0 ? ('paypal' as const) : ('stripe' as const),
        external_id: `in_rollup_${n}`,
        tenant_id: tenant.id,
        currency: currencies[rand(3)],
        total: amount,
        amount_due: amount,
        amount_remaining: amount,
        amount_paid: 0,
        created_at: created,
        due_date: new Date(created.getTime() + 7 * DAY),
      };
      const first = endStates[rand(endStates.length)];
      // issued open (a draft stays one)
      await seedInvoice(sql, scope, { ...base, status: first === 'draft' ? 'draft' : 'open' }, { time: created, eventId: `evt_${n}_a` });
      if (first === 'draft') continue;
      let at = new Date(created.getTime() + (1 + rand(9 * 24)) * HOUR);
      if (rand(4) === 0) {
        // a failed payment first, then maybe a partial payment
        await seedInvoice(sql, scope, { ...base, status: 'open', payment_failed: true }, { time: at, eventId: `evt_${n}_b` });
        at = new Date(at.getTime() + (1 + rand(48)) * HOUR);
      }
      if (first === 'open' && rand(2) === 0) {
        const paidPart = Math.floor(amount / 3);
        await seedInvoice(sql, scope, { ...base, status: 'open', amount_paid: paidPart, amount_remaining: amount - paidPart }, { time: at, eventId: `evt_${n}_c` });
      } else if (first === 'paid') {
        await seedInvoice(sql, scope, { ...base, status: 'paid', amount_paid: amount, amount_remaining: 0 }, { time: at, eventId: `evt_${n}_c` });
      } else if (first === 'void' || first === 'uncollectible') {
        await seedInvoice(sql, scope, { ...base, status: first }, { time: at, eventId: `evt_${n}_c` });
        if (first === 'uncollectible' && rand(2) === 0) {
          // paid after all, later
          const later = new Date(at.getTime() + (1 + rand(72)) * HOUR);
          await seedInvoice(sql, scope, { ...base, status: 'paid', amount_paid: amount, amount_remaining: 0 }, { time: later, eventId: `evt_${n}_d` });
        }
      }
    }
    // some payments recorded as out of band after the fact (Stripe's paid_out_of_band)
    await sql`UPDATE invoices SET paid_out_of_band = true
      WHERE account_id = ${scope.accountId} AND status = 'paid' AND first_payment_failed_at IS NOT NULL AND gateway = 'stripe'
        AND id IN (SELECT id FROM invoices WHERE account_id = ${scope.accountId} ORDER BY external_id LIMIT 30)`;
    // a deleted draft and an invoice deleted outright: neither counts anywhere
    await seedInvoice(sql, scope, { external_id: 'in_rollup_deleted', tenant_id: tenant.id, status: 'draft', deleted: true, created_at: new Date(START + 3 * DAY) });
    const gone = await seedInvoice(sql, scope, { external_id: 'in_rollup_gone', tenant_id: tenant.id, status: 'open', created_at: new Date(START + 4 * DAY) });
    await sql`DELETE FROM invoices WHERE account_id = ${scope.accountId} AND id = ${gone}`;

    const windows: [Date, Date][] = [
      [new Date(START), NOW], // whole days to now
      [new Date(START - 5 * DAY), new Date(START + 45 * DAY)], // beyond both ends
      [new Date(START + 10 * DAY + 7 * HOUR), new Date(START + 11 * DAY + 2 * HOUR)], // across one midnight
      [new Date(START + 12 * DAY + 3 * HOUR), new Date(START + 12 * DAY + 20 * HOUR)], // inside one day
      [new Date(NOW.getTime() - 30 * DAY), NOW], // the default: 30 days to now (today read from the rollup)
      [new Date(NOW.getTime() - 20 * HOUR), NOW], // from yesterday to now
    ];
    for (let w = 0; w < 12; w++) {
      const from = START + rand(35 * 24) * HOUR + rand(3600) * 1000;
      windows.push([new Date(from), new Date(from + (1 + rand(20 * 24)) * HOUR + rand(3600) * 1000)]);
    }
    let compared = 0;
    for (const [from, to] of windows) {
      const account = await getCollections(sql, scope, NOW, { from, to });
      const perTenant = await getCollections(sql, scope, NOW, { from, to, tenant_id: tenant.id });
      expect(withoutTenants(account), `${from.toISOString()} .. ${to.toISOString()}`).toEqual(withoutTenants(perTenant));
      compared += account.currencies.filter((c) => c.credit_sales > 0 || c.receivables > 0 || c.paid_count > 0).length;
    }
    // the windows did hold figures to compare, recoveries of each own cause among them
    expect(compared).toBeGreaterThan(20);
    const whole = await getCollections(sql, scope, NOW, { from: new Date(START), to: NOW });
    const causes = new Set(whole.currencies.flatMap((c) => c.recovered.filter((r) => r.count > 0).map((r) => r.cause)));
    expect([...causes].sort()).toEqual(['automatic_retry', 'outside', 'paypal']);
  });
});
