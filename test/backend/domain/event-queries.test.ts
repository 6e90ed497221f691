import { ensureAccount, type Scope } from '../../../backend/domain/accounts.js';
import { getEventDetail, listEvents } from '../../../backend/domain/event-queries.js';
import { replayEvent, type EventProcessor } from '../../../backend/domain/events.js';
import { applyInvoiceSnapshot } from '../../../backend/domain/invoices.js';
import { newAccountId, testSql } from '../../support/app-harness.js';
import { invoiceSnapshot, seedEvent, seedInvoice, seedTenant } from '../../support/ledger-seed.js';

const sql = testSql();
const d = (iso: string) => new Date(iso);

async function newScope(): Promise<Scope> {
  const scope = { accountId: newAccountId(), livemode: false };
  await ensureAccount(sql, scope.accountId);
  return scope;
}

describe('listEvents', () => {
  it('pages by occurred_at with ties broken by id, without duplicates or gaps', async () => {
    const scope = await newScope();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      ids.push(await seedEvent(sql, scope, { occurred_at: i % 2 ? d('2026-01-01T00:00:00Z') : d(`2026-01-0${i + 2}T00:00:00Z`) }));
    }
    const seen: { id: string; occurred_at: Date }[] = [];
    let cursor: string | undefined;
    do {
      const page = await listEvents(sql, scope, { limit: 3, cursor });
      seen.push(...page.data);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect([...seen.map((e) => e.id)].sort()).toEqual([...ids].sort());
    const expected = [...seen].sort((a, b) => b.occurred_at.getTime() - a.occurred_at.getTime() || (a.id < b.id ? 1 : -1));
    expect(seen.map((e) => e.id)).toEqual(expected.map((e) => e.id));
  });

  it('links the tenant and the invoice summary, and drops the link to a deleted draft', async () => {
    const scope = await newScope();
    const tenant = await seedTenant(sql, scope, 'Acme');
    const invoice = await seedInvoice(sql, scope, { number: 'A-1', total: 4200, currency: 'eur', tenant_id: tenant.id });
    const draft = await seedInvoice(sql, scope, { status: 'draft', deleted: true });
    await seedEvent(sql, scope, { occurred_at: d('2026-01-02T00:00:00Z'), invoice_id: invoice, tenant_id: tenant.id });
    await seedEvent(sql, scope, { occurred_at: d('2026-01-01T00:00:00Z'), type: 'invoice.deleted', invoice_id: draft });
    const { data } = await listEvents(sql, scope, { limit: 25 });
    expect(data[0]).toMatchObject({
      tenant: { id: tenant.id, name: 'Acme' },
      invoice: { id: invoice, number: 'A-1', total: 4200, currency: 'eur', status: 'open', past_due: false },
    });
    expect(data[1]).toMatchObject({ type: 'invoice.deleted', tenant: null, invoice: null });
  });
});

describe('replaying an event', () => {
  it('keeps a failing replay’s error, and a successful one links the event and clears it', async () => {
    const scope = await newScope();
    const id = await seedEvent(sql, scope, { type: 'invoice.paid', fail: 'mapping bug', object_id: 'in_replay' });
    expect(await getEventDetail(sql, scope, id)).toMatchObject({ processed: false, error: 'mapping bug', invoice: null });

    const stillBroken: EventProcessor = async (tx, sc) => {
      // a half-done change must not survive the failure
      await applyInvoiceSnapshot(tx, sc, invoiceSnapshot({ external_id: 'in_replay' }), { time: d('2026-01-01T00:00:00Z'), eventId: null, label: 'test' });
      throw new Error('still broken');
    };
    expect(await replayEvent(sql, scope, id, () => stillBroken)).toEqual({ processed: false, error: 'still broken' });
    expect(await getEventDetail(sql, scope, id)).toMatchObject({ processed: false, error: 'still broken', processed_at: null });
    expect((await sql`SELECT 1 FROM invoices WHERE account_id = ${scope.accountId}`).length).toBe(0);

    const tenant = await seedTenant(sql, scope, 'Fixed Co');
    const fixed: EventProcessor = async (tx, sc, event) => {
      const { invoiceId } = await applyInvoiceSnapshot(
        tx,
        sc,
        invoiceSnapshot({ external_id: event.object_id!, status: 'paid', amount_paid: 1000, amount_remaining: 0, tenant_id: tenant.id }),
        { time: event.occurred_at, eventId: event.event_id, label: `event:${event.event_id}` },
      );
      return { tenant_id: tenant.id, invoice_id: invoiceId };
    };
    expect(await replayEvent(sql, scope, id, () => fixed)).toEqual({ processed: true, error: null });
    const after = await getEventDetail(sql, scope, id);
    expect(after).toMatchObject({
      processed: true,
      error: null,
      tenant: { id: tenant.id, name: 'Fixed Co' },
      invoice: { status: 'paid', total: 1000 },
    });
    expect(after.processed_at).toBeInstanceOf(Date);
  });

  it('is not_found in another account or mode', async () => {
    const scope = await newScope();
    const id = await seedEvent(sql, scope, { fail: 'x' });
    const never: EventProcessor = async () => {
      throw new Error('must not run');
    };
    const other = await newScope();
    await expect(replayEvent(sql, other, id, () => never)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(replayEvent(sql, { ...scope, livemode: true }, id, () => never)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(getEventDetail(sql, other, id)).rejects.toMatchObject({ kind: 'not_found' });
    expect((await getEventDetail(sql, scope, id)).error).toBe('x');
  });
});
