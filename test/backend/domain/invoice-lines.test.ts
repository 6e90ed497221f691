import { completeInvoiceLines, invoiceLines, replaceInvoiceLines, type StoredLine } from '../../../backend/domain/invoice-lines.js';
import { newAccountId, testSql } from '../../support/app-harness.js';
import { seedInvoice } from '../../support/ledger-seed.js';
import { ensureAccount } from '../../../backend/domain/accounts.js';

const sql = testSql();
const line = (description: string, over: Partial<StoredLine> = {}): StoredLine => ({
  description,
  quantity: 1,
  amount: 100,
  currency: 'usd',
  period_start: null,
  period_end: null,
  kind: 'item',
  origin: 'line',
  ...over,
});

async function invoice() {
  const scope = { accountId: newAccountId(), livemode: false };
  await ensureAccount(sql, scope.accountId);
  const id = await seedInvoice(sql, scope);
  return { scope, id };
}

describe('invoice lines', () => {
  it('completes a truncated set, keeping the invoice-level lines after the items', async () => {
    const { scope, id } = await invoice();
    await replaceInvoiceLines(sql, scope, id, [line('A'), line('Tax', { kind: 'tax', origin: 'invoice' })], true);
    const set = await invoiceLines(sql, scope, id);
    expect(set.has_more).toBe(true);
    expect(await completeInvoiceLines(sql, scope, id, set.version, [line('A'), line('B'), line('C')])).toBe(true);
    const after = await invoiceLines(sql, scope, id);
    expect(after.has_more).toBe(false);
    expect(after.lines.map((l) => l.description)).toEqual(['A', 'B', 'C', 'Tax']);
  });

  it('does not overwrite a set a newer event stored while the full list was being fetched', async () => {
    const { scope, id } = await invoice();
    await replaceInvoiceLines(sql, scope, id, [line('old')], true);
    const read = await invoiceLines(sql, scope, id);
    await replaceInvoiceLines(sql, scope, id, [line('newer event')], false);
    expect(await completeInvoiceLines(sql, scope, id, read.version, [line('fetched')])).toBe(false);
    expect((await invoiceLines(sql, scope, id)).lines.map((l) => l.description)).toEqual(['newer event']);
  });

  it('leaves a set alone when an event repeats its lines (no rewrite, a completed list kept), and replaces a changed list', async () => {
    const { scope, id } = await invoice();
    const finalized = [line('A'), line('Tax', { kind: 'tax', origin: 'invoice' })];
    await replaceInvoiceLines(sql, scope, id, finalized, true);
    const stored = await invoiceLines(sql, scope, id);
    const rowVersions = () => sql<{ ctid: string }[]>`
      SELECT ctid::text FROM invoice_lines WHERE account_id = ${scope.accountId} AND invoice_id = ${id} ORDER BY position`;
    const before = await rowVersions();
    await replaceInvoiceLines(sql, scope, id, finalized.map((l) => ({ ...l })), true); // invoice.paid: the same lines
    expect(await invoiceLines(sql, scope, id)).toEqual(stored);
    expect(await rowVersions()).toEqual(before); // the rows were not written again
    // Completed through the API, then the same payload again: the full list stays.
    expect(await completeInvoiceLines(sql, scope, id, stored.version, [line('A'), line('B')])).toBe(true);
    await replaceInvoiceLines(sql, scope, id, finalized, true);
    expect((await invoiceLines(sql, scope, id)).lines.map((l) => l.description)).toEqual(['A', 'B', 'Tax']);
    // A list that changed replaces the set.
    await replaceInvoiceLines(sql, scope, id, [line('A', { amount: 150 })], false);
    const changed = await invoiceLines(sql, scope, id);
    expect(changed.lines.map((l) => [l.description, l.amount])).toEqual([['A', 150]]);
    expect(changed).toMatchObject({ has_more: false, version: stored.version + 2 });
  });

  it('keeps accounts and modes apart', async () => {
    const { scope, id } = await invoice();
    await replaceInvoiceLines(sql, scope, id, [line('mine')], false);
    expect((await invoiceLines(sql, { ...scope, livemode: true }, id)).lines).toEqual([]);
    expect((await invoiceLines(sql, { accountId: newAccountId(), livemode: false }, id)).lines).toEqual([]);
  });
});
