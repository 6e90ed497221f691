import { ensureAccount, type Scope } from '../../../backend/domain/accounts.js';
import { applyInvoiceSnapshot, type InvoiceSnapshot } from '../../../backend/domain/invoices.js';
import { listPastDue, pastDueAging } from '../../../backend/domain/past-due-queries.js';
import { agingBucket, daysPastDue } from '../../../backend/domain/past-due-rule.js';
import { applyPastDueTransitions } from '../../../backend/domain/past-due-transitions.js';
import { updateSettings } from '../../../backend/domain/settings.js';
import { createTenant } from '../../../backend/domain/tenants.js';
import { newAccountId, testSql } from '../../support/app-harness.js';
import { invoiceSnapshot } from '../../support/ledger-seed.js';

const sql = testSql();
const DAY = 86_400_000;
const NOW = new Date('2026-03-15T12:00:00Z');
const daysAgo = (n: number, from = NOW) => new Date(from.getTime() - n * DAY);

async function newScope(livemode = false): Promise<Scope> {
  const scope = { accountId: newAccountId(), livemode };
  await ensureAccount(sql, scope.accountId);
  return scope;
}

let seq = 0;
const snap = (over: Partial<InvoiceSnapshot> = {}): InvoiceSnapshot =>
  invoiceSnapshot({
    external_id: `in_${++seq}`,
    number: `A-${seq}`,
    customer_id: 'cus_1',
    collection_method: 'send_invoice',
    created_at: daysAgo(100),
    ...over,
  });

let evt = 0;
/** Applies a snapshot as a gateway event at `at` (default: just before NOW). */
async function put(scope: Scope, s: InvoiceSnapshot, at = daysAgo(0.5)): Promise<string> {
  const id = `evt_${++evt}`;
  const r = await sql.begin((tx) => applyInvoiceSnapshot(tx, scope, s, { time: at, eventId: id, label: `event:${id}` }));
  return r.invoiceId;
}

const scan = (scope: Scope, now = NOW) => sql.begin((tx) => applyPastDueTransitions(tx, now, scope));

async function invoice(id: string) {
  const [row] = await sql<{ status: string; past_due: boolean; past_due_since: Date | null }[]>`
    SELECT status, past_due, past_due_since FROM invoices WHERE id = ${id}`;
  const history = await sql<{ from_status: string | null; to_status: string; source: string; note: string | null }[]>`
    SELECT from_status, to_status, source, note FROM invoice_history WHERE invoice_id = ${id} ORDER BY at, id`;
  return { ...row, history: history.map((h) => `${h.from_status ?? '∅'}→${h.to_status} ${h.source}${h.note ? ` (${h.note})` : ''}`) };
}

describe('days past due', () => {
  it('counts whole UTC calendar days from the due date', () => {
    const due = new Date('2026-03-10T23:59:00Z');
    expect(daysPastDue(new Date('2026-03-10T23:59:30Z'), due, null)).toBe(0);
    expect(daysPastDue(new Date('2026-03-11T00:00:01Z'), due, null)).toBe(1);
    expect(daysPastDue(new Date('2026-04-09T00:00:00Z'), due, null)).toBe(30);
    // across the March DST change in Europe/US nothing shifts: days are UTC days
    expect(daysPastDue(new Date('2026-04-10T00:30:00Z'), new Date('2026-03-01T23:30:00Z'), null)).toBe(40);
  });

  it('counts from the failed payment when it came before the due date or there is none', () => {
    expect(daysPastDue(NOW, null, daysAgo(3))).toBe(3);
    expect(daysPastDue(NOW, new Date(NOW.getTime() + 5 * DAY), daysAgo(2))).toBe(2);
    expect(daysPastDue(NOW, new Date(NOW.getTime() + 5 * DAY), null)).toBe(0);
  });

  it('puts days into the four buckets at their edges', () => {
    expect([0, 1, 30, 31, 60, 61, 90, 91, 400].map(agingBucket)).toEqual([
      '1-30', '1-30', '1-30', '31-60', '31-60', '61-90', '61-90', '90+', '90+',
    ]);
  });
});

describe('past-due transitions', () => {
  it('marks an open invoice past due the UTC day after its due date, with a history row', async () => {
    const scope = await newScope();
    const dueToday = await put(scope, snap({ due_date: new Date('2026-03-15T00:00:00Z') }));
    const dueYesterday = await put(scope, snap({ due_date: new Date('2026-03-14T23:59:59Z') }));
    const draft = await put(scope, snap({ status: 'draft', due_date: daysAgo(10) }));
    const paid = await put(scope, snap({ status: 'paid', amount_paid: 1000, amount_remaining: 0, due_date: daysAgo(10) }));

    expect(await scan(scope)).toEqual({ entered: 1, cleared: 0 });
    expect((await invoice(dueToday)).past_due).toBe(false);
    expect((await invoice(draft)).past_due).toBe(false);
    expect((await invoice(paid)).past_due).toBe(false);
    const late = await invoice(dueYesterday);
    expect(late.past_due).toBe(true);
    expect(late.past_due_since).toEqual(NOW);
    expect(late.history).toEqual(['∅→open event:evt_2', 'open→past_due job:past-due-scan (due date passed)']);

    // Re-running changes nothing and writes no second history row.
    expect(await scan(scope)).toEqual({ entered: 0, cleared: 0 });
    expect((await invoice(dueYesterday)).history).toHaveLength(2);
  });

  it('waits the account’s grace days', async () => {
    const scope = await newScope();
    await updateSettings(sql, scope, { past_due_grace_days: 3 });
    const threeDays = await put(scope, snap({ due_date: new Date('2026-03-12T08:00:00Z') }));
    const fourDays = await put(scope, snap({ due_date: new Date('2026-03-11T08:00:00Z') }));
    await scan(scope);
    expect((await invoice(threeDays)).past_due).toBe(false);
    expect((await invoice(fourDays)).past_due).toBe(true);
    // The next UTC day the 3-day-old one is past its grace too.
    await scan(scope, new Date('2026-03-16T00:00:00Z'));
    expect((await invoice(threeDays)).past_due).toBe(true);
  });

  it('leaves past due when paid or voided (by the gateway event), and the scan does not bring it back', async () => {
    const scope = await newScope();
    const a = snap({ due_date: daysAgo(5) });
    const b = snap({ due_date: daysAgo(5) });
    const paidId = await put(scope, a, daysAgo(6));
    const voidId = await put(scope, b, daysAgo(6));
    await scan(scope);
    const later = new Date(NOW.getTime() + 3_600_000);
    await put(scope, { ...a, status: 'paid', amount_paid: 1000, amount_remaining: 0 }, later);
    await put(scope, { ...b, status: 'void' }, later);
    expect(await scan(scope, later)).toEqual({ entered: 0, cleared: 0 });
    expect((await invoice(paidId)).history.slice(1)).toEqual([
      'open→past_due job:past-due-scan (due date passed)',
      'past_due→paid event:evt_' + (evt - 1),
    ]);
    expect(await invoice(voidId)).toMatchObject({ status: 'void', past_due: false });
    expect((await invoice(voidId)).history.at(-1)).toBe(`past_due→void event:evt_${evt}`);
  });

  it('leaves past due when the due date is moved to today or later', async () => {
    const scope = await newScope();
    const s = snap({ due_date: daysAgo(5) });
    const id = await put(scope, s, daysAgo(6));
    await scan(scope);
    await put(scope, { ...s, due_date: new Date(NOW.getTime() + 10 * DAY) });
    expect((await invoice(id)).past_due).toBe(true); // the ledger keeps it; the rule is the scan's
    expect(await scan(scope)).toEqual({ entered: 0, cleared: 1 });
    expect(await invoice(id)).toMatchObject({ past_due: false, past_due_since: null });
    expect((await invoice(id)).history.at(-1)).toBe('past_due→open job:past-due-scan (due date moved)');
  });

  it('keeps an invoice whose automatic payment failed past due whatever its due date', async () => {
    const scope = await newScope();
    const id = await put(scope, snap({ collection_method: 'charge_automatically', payment_failed: true, due_date: new Date(NOW.getTime() + 3 * DAY) }));
    expect((await invoice(id)).past_due).toBe(true);
    expect(await scan(scope)).toEqual({ entered: 0, cleared: 0 });
    expect((await invoice(id)).past_due).toBe(true);
  });

  it('counts a PayPal subscription whose payment failed, from the failure, until it is paid', async () => {
    const scope = await newScope();
    const failedAt = new Date('2026-02-01T10:00:00Z');
    const s = snap({ gateway: 'paypal', external_id: 'I-PAYPALSUB1-1', currency: 'eur', amount_remaining: 2500, payment_failed: true });
    const id = await put(scope, s, failedAt);
    const [item] = (await listPastDue(sql, scope, NOW, { limit: 10 })).data;
    expect(item).toMatchObject({ id, gateway: 'paypal', status: 'open', state: 'failed', past_due_since: failedAt, days_past_due: 42, amount_remaining: 2500 });
    expect(await pastDueAging(sql, scope, NOW)).toEqual([
      { currency: 'eur', buckets: { '1-30': z(), '31-60': { count: 1, amount: 2500 }, '61-90': z(), '90+': z() }, total: { count: 1, amount: 2500 } },
    ]);
    await put(scope, { ...s, status: 'paid', amount_paid: 2500, amount_remaining: 0 }, daysAgo(1));
    expect(await pastDueAging(sql, scope, NOW)).toEqual([]);
  });

  it('a payment failure counts even when delivered after a newer update, until the invoice is paid', async () => {
    const scope = await newScope();
    const s = snap({ collection_method: 'charge_automatically', due_date: null });
    const id = await put(scope, s, daysAgo(2)); // a later update is already stored
    const failure = { ...s, attempt_count: 1, payment_failed: true };
    await put(scope, failure, daysAgo(5)); // the failure, delivered late
    const [item] = (await listPastDue(sql, scope, NOW, { limit: 10 })).data;
    expect(item).toMatchObject({ id, state: 'failed', payment_failed: true, days_past_due: 5 });
    await put(scope, failure, daysAgo(1)); // a second failure keeps the first one's time
    expect((await listPastDue(sql, scope, NOW, { limit: 10 })).data[0]).toMatchObject({ id, days_past_due: 5 });

    await put(scope, { ...s, status: 'paid', amount_paid: 1000, amount_remaining: 0 }, daysAgo(0.5));
    await put(scope, failure, daysAgo(3)); // a replayed failure does not reopen a paid invoice
    expect((await listPastDue(sql, scope, NOW, { limit: 10 })).data).toEqual([]);
    // the failure's row is dated when it happened, before the update that was stored first
    expect((await invoice(id)).history).toEqual([
      `open→past_due event:evt_${evt - 3} (payment failed)`,
      `∅→open event:evt_${evt - 4}`,
      `past_due→paid event:evt_${evt - 1}`,
    ]);
  });

  it('is all or nothing: a scan whose transaction fails leaves no flag and no history', async () => {
    const scope = await newScope();
    const id = await put(scope, snap({ due_date: daysAgo(3) }));
    await expect(
      sql.begin(async (tx) => {
        await applyPastDueTransitions(tx, NOW, scope);
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect(await invoice(id)).toMatchObject({ past_due: false, history: ['∅→open event:evt_' + evt] });
    expect(await scan(scope)).toEqual({ entered: 1, cleared: 0 });
  });

  it('touches only the scope it is given', async () => {
    const scope = await newScope();
    const other = { accountId: scope.accountId, livemode: true };
    const mine = await put(scope, snap({ due_date: daysAgo(3) }));
    const theirs = await put(other, snap({ due_date: daysAgo(3) }));
    await scan(scope);
    expect((await invoice(mine)).past_due).toBe(true);
    expect((await invoice(theirs)).past_due).toBe(false);
  });
});

const z = () => ({ count: 0, amount: 0 });

describe('aging', () => {
  it('matches hand-computed figures per currency, bucket edges included, and per tenant', async () => {
    const scope = await newScope();
    const acme = await createTenant(sql, scope, { name: 'Acme' });
    // usd: days 1, 30, 31, 60, 61, 90, 91 with amounts 100…700; jpy (0 decimals): days 1, 45, 91.
    const usd = [1, 30, 31, 60, 61, 90, 91];
    for (const [i, d] of usd.entries()) {
      await put(scope, snap({ due_date: daysAgo(d), amount_remaining: (i + 1) * 100, tenant_id: i % 2 === 0 ? acme.id : null }), daysAgo(d + 1));
    }
    for (const [d, amount] of [[1, 5000], [45, 12000], [91, 300]] as const) {
      await put(scope, snap({ currency: 'jpy', due_date: daysAgo(d), amount_remaining: amount }), daysAgo(d + 1));
    }
    // Not past due: due today, and a paid one. Another account's past-due invoice.
    await put(scope, snap({ due_date: NOW }));
    await put(scope, snap({ status: 'paid', due_date: daysAgo(40), amount_remaining: 0 }));
    const other = await newScope();
    await put(other, snap({ due_date: daysAgo(40) }));
    await sql.begin((tx) => applyPastDueTransitions(tx, NOW, other));

    await scan(scope);
    expect(await pastDueAging(sql, scope, NOW)).toEqual([
      {
        currency: 'jpy',
        buckets: { '1-30': { count: 1, amount: 5000 }, '31-60': { count: 1, amount: 12000 }, '61-90': z(), '90+': { count: 1, amount: 300 } },
        total: { count: 3, amount: 17300 },
      },
      {
        currency: 'usd',
        buckets: {
          '1-30': { count: 2, amount: 100 + 200 },
          '31-60': { count: 2, amount: 300 + 400 },
          '61-90': { count: 2, amount: 500 + 600 },
          '90+': { count: 1, amount: 700 },
        },
        total: { count: 7, amount: 2800 },
      },
    ]);
    // Acme holds usd days 1, 31, 61, 91 (amounts 100, 300, 500, 700).
    expect(await pastDueAging(sql, scope, NOW, { tenantId: acme.id })).toEqual([
      {
        currency: 'usd',
        buckets: { '1-30': { count: 1, amount: 100 }, '31-60': { count: 1, amount: 300 }, '61-90': { count: 1, amount: 500 }, '90+': { count: 1, amount: 700 } },
        total: { count: 4, amount: 1600 },
      },
    ]);
    expect((await pastDueAging(sql, scope, NOW, { currency: 'jpy' })).map((c) => c.currency)).toEqual(['jpy']);

    // The list: longest overdue first, paginated, with days and tenant.
    const first = await listPastDue(sql, scope, NOW, { limit: 4 });
    expect(first.data.map((i) => i.days_past_due)).toEqual([91, 91, 90, 61]);
    const second = await listPastDue(sql, scope, NOW, { limit: 10, cursor: first.next_cursor! });
    expect(second.next_cursor).toBeNull();
    expect([...first.data, ...second.data].map((i) => i.days_past_due)).toEqual([91, 91, 90, 61, 60, 45, 31, 30, 1, 1]);
    expect(first.data.find((i) => i.tenant)?.tenant).toEqual({ id: acme.id, name: 'Acme' });
  });

  it('refuses a tenant of another account as not found', async () => {
    const scope = await newScope();
    const other = await newScope();
    const theirs = await createTenant(sql, other, { name: 'Theirs' });
    await expect(pastDueAging(sql, scope, NOW, { tenantId: theirs.id })).rejects.toMatchObject({ kind: 'not_found' });
  });
});
