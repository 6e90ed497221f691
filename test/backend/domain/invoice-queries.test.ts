import { ensureAccount, type Scope } from '../../../backend/domain/accounts.js';
import { getInvoiceDetail, listInvoices } from '../../../backend/domain/invoice-queries.js';
import { listPastDue } from '../../../backend/domain/past-due-queries.js';
import { newAccountId, testSql } from '../../support/app-harness.js';
import { seedEvent, seedInvoice } from '../../support/ledger-seed.js';

const sql = testSql();
const NOW = new Date('2026-03-01T00:00:00Z');
const t = (iso: string) => new Date(iso);

async function newScope(livemode = false): Promise<Scope> {
  const scope = { accountId: newAccountId(), livemode };
  await ensureAccount(sql, scope.accountId);
  return scope;
}

describe('days past due in the invoice list', () => {
  it('counts whole UTC calendar days, as the past-due list does, and 0 when not past due', async () => {
    const scope = await newScope();
    const cases = [
      // [due date, when it was delivered, expected days at NOW]: past due by the clock alone
      { due: t('2026-02-01T00:00:00Z'), at: t('2026-01-02T06:00:00Z'), days: 28 },
      { due: t('2026-02-28T23:00:00Z'), at: t('2026-01-28T23:30:00Z'), days: 1 },
      { due: t('2025-12-01T00:00:00Z'), at: t('2025-11-02T00:00:00Z'), days: 90 },
      // no due date: counted from the failed payment
      { due: null, payment_failed: true, at: t('2026-02-20T06:00:00Z'), days: 9 },
      // the due date still ahead: counted from the failed payment
      { due: t('2026-03-10T00:00:00Z'), payment_failed: true, at: t('2026-02-26T00:00:00Z'), days: 3 },
    ];
    const ids = [];
    for (const c of cases) {
      ids.push(await seedInvoice(sql, scope, { status: 'open', due_date: c.due, payment_failed: c.payment_failed }, { time: c.at }));
    }
    // due today: not yet past due
    const notPastDue = await seedInvoice(sql, scope, { status: 'open', due_date: t('2026-03-01T00:00:00Z') });

    const listed = new Map((await listInvoices(sql, scope, { limit: 100 }, NOW)).data.map((i) => [i.id, i.days_past_due]));
    const pastDue = new Map((await listPastDue(sql, scope, NOW, { limit: 100 })).data.map((i) => [i.id, i.days_past_due]));
    expect(ids.map((id) => listed.get(id))).toEqual(cases.map((c) => c.days));
    expect(ids.map((id) => pastDue.get(id))).toEqual(cases.map((c) => c.days));
    expect(listed.get(notPastDue)).toBe(0);
  });
});

describe('listInvoices', () => {
  it('pages through ties of created_at without duplicates or gaps, newest first', async () => {
    const scope = await newScope();
    const same = t('2026-01-20T10:00:00Z');
    const created = [
      t('2026-01-10T00:00:00Z'),
      same,
      same,
      same,
      same,
      t('2026-01-25T00:00:00Z'),
      t('2026-01-05T00:00:00Z'),
    ];
    const ids = [];
    for (const created_at of created) ids.push(await seedInvoice(sql, scope, { created_at }));

    const seen: { id: string; created_at: Date }[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listInvoices(sql, scope, { limit: 2, cursor }, NOW);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data);
      cursor = page.next_cursor ?? undefined;
      pages++;
    } while (cursor);

    expect(pages).toBe(4);
    expect(new Set(seen.map((i) => i.id)).size).toBe(7);
    expect([...seen.map((i) => i.id)].sort()).toEqual([...ids].sort());
    // created_at DESC, then id DESC among the four of the same instant
    const expected = [...seen].sort((a, b) => b.created_at.getTime() - a.created_at.getTime() || (a.id < b.id ? 1 : -1));
    expect(seen.map((i) => i.id)).toEqual(expected.map((i) => i.id));
  });

  it('pages through the past-due ones only, newest first, skipping newer invoices not yet due', async () => {
    const scope = await newScope();
    const same = t('2026-01-20T10:00:00Z');
    const pastDue: string[] = [];
    for (const created_at of [t('2026-01-10T00:00:00Z'), same, same, same, t('2026-01-05T00:00:00Z')]) {
      pastDue.push(await seedInvoice(sql, scope, { status: 'open', created_at, due_date: t('2026-02-01T00:00:00Z') }));
    }
    // a failed payment whose due date is ahead is past due too
    pastDue.push(await seedInvoice(sql, scope, { status: 'open', created_at: t('2026-02-20T00:00:00Z'), due_date: t('2026-04-01T00:00:00Z'), payment_failed: true }));
    // newer, not past due: due later, due today, paid
    for (let n = 0; n < 4; n++) {
      await seedInvoice(sql, scope, { status: 'open', created_at: t(`2026-02-2${n}T12:00:00Z`), due_date: t('2026-03-15T00:00:00Z') });
    }
    await seedInvoice(sql, scope, { status: 'open', created_at: t('2026-02-25T00:00:00Z'), due_date: NOW });
    await seedInvoice(sql, scope, { status: 'paid', created_at: t('2026-01-15T00:00:00Z'), due_date: t('2026-02-01T00:00:00Z') });

    const seen: { id: string; created_at: Date; state: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await listInvoices(sql, scope, { limit: 2, cursor, status: 'past_due' }, NOW);
      seen.push(...page.data);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect([...seen.map((i) => i.id)].sort()).toEqual([...pastDue].sort());
    expect(seen.every((i) => i.state === 'past_due' || i.state === 'failed')).toBe(true);
    const expected = [...seen].sort((a, b) => b.created_at.getTime() - a.created_at.getTime() || (a.id < b.id ? 1 : -1));
    expect(seen.map((i) => i.id)).toEqual(expected.map((i) => i.id));
  });

  it('leaves out deleted drafts', async () => {
    const scope = await newScope();
    const kept = await seedInvoice(sql, scope, { status: 'draft' });
    const gone = await seedInvoice(sql, scope, { status: 'draft', deleted: true });
    const { data } = await listInvoices(sql, scope, { limit: 25 }, NOW);
    expect(data.map((i) => i.id)).toEqual([kept]);
    await expect(getInvoiceDetail(sql, scope, gone, NOW)).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('getInvoiceDetail', () => {
  it('answers the invoice with its history oldest first and its latest 20 events newest first', async () => {
    const scope = await newScope();
    const base = { external_id: 'in_hist', created_at: t('2026-01-01T00:00:00Z'), due_date: t('2026-02-01T00:00:00Z') };
    const id = await seedInvoice(sql, scope, { ...base, status: 'draft' }, { time: t('2026-01-01T00:00:00Z') });
    await seedInvoice(sql, scope, { ...base, status: 'open' }, { time: t('2026-01-02T00:00:00Z'), eventId: 'evt_fin' });
    await seedInvoice(sql, scope, { ...base, status: 'open', payment_failed: true, attempt_count: 1 }, {
      time: t('2026-01-03T00:00:00Z'),
      eventId: 'evt_fail',
    });
    await seedInvoice(sql, scope, { ...base, status: 'paid', amount_paid: 1000, amount_remaining: 0, attempt_count: 2 }, {
      time: t('2026-01-04T00:00:00Z'),
      eventId: 'evt_paid',
    });
    for (let i = 0; i < 22; i++) {
      await seedEvent(sql, scope, { occurred_at: new Date(t('2026-01-01T00:00:00Z').getTime() + i * 60_000), invoice_id: id });
    }

    const detail = await getInvoiceDetail(sql, scope, id, NOW);
    expect(detail).toMatchObject({ id, status: 'paid', past_due: false, days_past_due: 0, attempt_count: 2, amount_paid: 1000 });
    expect(detail.history.map((h) => [h.from_status, h.to_status, h.source, h.note])).toEqual([
      [null, 'draft', expect.stringMatching(/^event:evt_/), null],
      ['draft', 'open', 'event:evt_fin', null],
      ['open', 'past_due', 'event:evt_fail', 'payment failed'],
      ['past_due', 'paid', 'event:evt_paid', null],
    ]);
    expect(detail.events).toHaveLength(20);
    expect(detail.events[0].occurred_at).toEqual(new Date(t('2026-01-01T00:00:00Z').getTime() + 21 * 60_000));
    expect(detail.events[19].occurred_at).toEqual(new Date(t('2026-01-01T00:00:00Z').getTime() + 2 * 60_000));
  });

  it('answers not_found for another account, the other mode, and ids that are not uuids', async () => {
    const scope = await newScope();
    const id = await seedInvoice(sql, scope);
    const other = await newScope();
    await expect(getInvoiceDetail(sql, other, id, NOW)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(getInvoiceDetail(sql, { ...scope, livemode: true }, id, NOW)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(getInvoiceDetail(sql, scope, 'in_123', NOW)).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('search (q)', () => {
  // A whole Stripe id finds by its key; part of one, or another case, wherever it occurs.
  it.each([
    { field: 'customer_id', whole: 'cus_Qx7Hb2LmN4pZ', other: 'cus_Other0000000' },
    { field: 'external_id', whole: 'in_1Qx7Hb2LmN4pZ', other: 'in_1Other0000000' },
  ] as const)('finds a whole Stripe id ($field) exactly, and any other text wherever it occurs', async ({ field, whole, other }) => {
    const scope = await newScope();
    const mine = await seedInvoice(sql, scope, { [field]: whole });
    const longer = await seedInvoice(sql, scope, { [field]: `${whole}a` });
    await seedInvoice(sql, scope, { [field]: other });
    const ids = async (q: string) => (await listInvoices(sql, scope, { limit: 25, q }, NOW)).data.map((i) => i.id).sort();

    expect(await ids(whole)).toEqual([mine]);
    expect(await ids(whole.slice(5).toLowerCase())).toEqual([mine, longer].sort());
    expect(await ids(whole.toUpperCase())).toEqual([mine, longer].sort());
  });
});
