import { ensureAccount, type Scope } from '../../../backend/domain/accounts.js';
import { applyInvoiceSnapshot, type InvoiceSnapshot } from '../../../backend/domain/invoices.js';
import { newAccountId, testSql } from '../../support/app-harness.js';
import { invoiceSnapshot } from '../../support/ledger-seed.js';

const sql = testSql();

async function newScope(): Promise<Scope> {
  const scope = { accountId: newAccountId(), livemode: false };
  await ensureAccount(sql, scope.accountId);
  return scope;
}

// One invoice (in_1) per account, so every call below updates the same ledger row.
const snap = (over: Partial<InvoiceSnapshot> = {}): InvoiceSnapshot =>
  invoiceSnapshot({ external_id: 'in_1', number: 'A-1', created_at: new Date('2026-01-01T00:00:00Z'), ...over });

const at = (s: number, eventId = `evt_${s}`) => ({ time: new Date(1_767_225_600_000 + s * 1000), eventId, label: `event:${eventId}` });

async function state(scope: Scope) {
  const [inv] = await sql<{ id: string; status: string; past_due: boolean; amount_paid: number }[]>`SELECT id, status, past_due, amount_paid FROM invoices WHERE account_id = ${scope.accountId}`;
  const history = await sql`SELECT from_status, to_status, source FROM invoice_history WHERE invoice_id = ${inv.id} ORDER BY at, id`;
  return { ...inv, history: history.map((h) => `${h.from_status ?? '∅'}→${h.to_status}`) };
}

describe('invoice ledger', () => {
  it('applies newer sources and ignores older ones', async () => {
    const scope = await newScope();
    await sql.begin((tx) => applyInvoiceSnapshot(tx, scope, snap({ status: 'draft' }), at(1)));
    await sql.begin((tx) => applyInvoiceSnapshot(tx, scope, snap({ status: 'paid', amount_paid: 1000 }), at(3)));
    const late = await sql.begin((tx) => applyInvoiceSnapshot(tx, scope, snap({ status: 'open' }), at(2)));
    expect(late.applied).toBe(false);
    expect(await state(scope)).toMatchObject({ status: 'paid', amount_paid: 1000, history: ['∅→draft', 'draft→paid'] });
  });

  it('breaks same-second ties by status rank, then event id, whatever the arrival order', async () => {
    const a = await newScope();
    const b = await newScope();
    await sql.begin((tx) => applyInvoiceSnapshot(tx, a, snap({ status: 'open' }), at(5, 'evt_a')));
    await sql.begin((tx) => applyInvoiceSnapshot(tx, a, snap({ status: 'paid' }), at(5, 'evt_b')));
    await sql.begin((tx) => applyInvoiceSnapshot(tx, b, snap({ status: 'paid' }), at(5, 'evt_b')));
    await sql.begin((tx) => applyInvoiceSnapshot(tx, b, snap({ status: 'open' }), at(5, 'evt_a')));
    expect((await state(a)).status).toBe('paid');
    expect((await state(b)).status).toBe('paid');
  });

  it('never moves a final status backwards, even from a newer source', async () => {
    const scope = await newScope();
    await sql.begin((tx) => applyInvoiceSnapshot(tx, scope, snap({ status: 'void' }), at(1)));
    await sql.begin((tx) => applyInvoiceSnapshot(tx, scope, snap({ status: 'open' }), at(9)));
    expect((await state(scope)).status).toBe('void');
  });

  it('lets an uncollectible invoice be paid later', async () => {
    const scope = await newScope();
    await sql.begin((tx) => applyInvoiceSnapshot(tx, scope, snap({ status: 'uncollectible' }), at(1)));
    await sql.begin((tx) => applyInvoiceSnapshot(tx, scope, snap({ status: 'paid' }), at(2)));
    expect(await state(scope)).toMatchObject({ status: 'paid', history: ['∅→uncollectible', 'uncollectible→paid'] });
  });

  it('records a failed automatic payment as past due, and its payment as the exit', async () => {
    const scope = await newScope();
    await sql.begin((tx) => applyInvoiceSnapshot(tx, scope, snap({ status: 'open' }), at(1)));
    await sql.begin((tx) => applyInvoiceSnapshot(tx, scope, snap({ status: 'open', payment_failed: true }), at(2)));
    expect(await state(scope)).toMatchObject({ past_due: true, history: ['∅→open', 'open→past_due'] });
    await sql.begin((tx) => applyInvoiceSnapshot(tx, scope, snap({ status: 'paid' }), at(3)));
    expect(await state(scope)).toMatchObject({
      status: 'paid',
      past_due: false,
      history: ['∅→open', 'open→past_due', 'past_due→paid'],
    });
  });

  it('creates one invoice when two sources race for a new one', async () => {
    const scope = await newScope();
    await Promise.all([
      sql.begin((tx) => applyInvoiceSnapshot(tx, scope, snap({ status: 'open' }), at(1, 'evt_x'))),
      sql.begin((tx) => applyInvoiceSnapshot(tx, scope, snap({ status: 'paid' }), at(2, 'evt_y'))),
    ]);
    const rows = await sql`SELECT status FROM invoices WHERE account_id = ${scope.accountId}`;
    expect(rows.map((r) => r.status)).toEqual(['paid']);
  });
});
