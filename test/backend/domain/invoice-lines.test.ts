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

  it('keeps accounts and modes apart', async () => {
    const { scope, id } = await invoice();
    await replaceInvoiceLines(sql, scope, id, [line('mine')], false);
    expect((await invoiceLines(sql, { ...scope, livemode: true }, id)).lines).toEqual([]);
    expect((await invoiceLines(sql, { accountId: newAccountId(), livemode: false }, id)).lines).toEqual([]);
  });
});
