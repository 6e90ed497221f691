import { ensureAccount, type Scope } from '../../../backend/domain/accounts.js';
import { retenantCustomers, upsertCustomers, type GatewayCustomer } from '../../../backend/domain/customers.js';
import { applyInvoiceSnapshot } from '../../../backend/domain/invoices.js';
import { updateSettings } from '../../../backend/domain/settings.js';
import { addLink, createTenant } from '../../../backend/domain/tenants.js';
import { newAccountId, testSql } from '../../support/app-harness.js';
import { invoiceSnapshot } from '../../support/ledger-seed.js';

const sql = testSql();

async function newScope(): Promise<Scope> {
  const scope = { accountId: newAccountId(), livemode: false };
  await ensureAccount(sql, scope.accountId);
  return scope;
}

const at = (s: number, eventId: string | null = `evt_${s}`) => ({
  time: new Date(1_767_225_600_000 + s * 1000),
  eventId,
  label: eventId ? `event:${eventId}` : 'job:backfill',
});

const customer = (id: string, metadata: Record<string, string> | undefined, over: Partial<GatewayCustomer> = {}): GatewayCustomer => ({
  gateway: 'stripe',
  external_id: id,
  email: `${id}@example.com`,
  name: id,
  metadata,
  deleted: false,
  ...over,
});

async function storedCustomers(scope: Scope) {
  const rows = await sql<{ external_id: string; name: string; metadata: Record<string, string>; deleted: boolean }[]>`
    SELECT external_id, name, metadata, deleted FROM gateway_customers
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} ORDER BY external_id`;
  return Object.fromEntries(rows.map((r) => [r.external_id, { name: r.name, metadata: r.metadata, deleted: r.deleted }]));
}

async function storeEvent(scope: Scope, eventId: string, customerId: string, invoiceId: string | null) {
  await sql`
    INSERT INTO payment_events (account_id, livemode, gateway, event_id, type, customer_id, invoice_id, payload, occurred_at, state, processed)
    VALUES (${scope.accountId}, ${scope.livemode}, 'stripe', ${eventId}, 'customer.updated', ${customerId}, ${invoiceId},
            '{}'::jsonb, now(), 'processed', true)`;
}

describe('customers in batches', () => {
  it('stores each customer of a batch unless a newer source described it; of one given twice, the newer', async () => {
    const scope = await newScope();
    await sql.begin((tx) => upsertCustomers(tx, scope, [{ customer: customer('cus_b', { t: 'x' }, { name: 'B at 5' }), source: at(5) }]));
    const applied = await sql.begin((tx) =>
      upsertCustomers(tx, scope, [
        { customer: customer('cus_a', { t: 'new' }, { name: 'A at 3' }), source: at(3) },
        { customer: customer('cus_a', { t: 'old' }, { name: 'A at 2' }), source: at(2) },
        { customer: customer('cus_b', { t: 'y' }, { name: 'B at 4' }), source: at(4) },
        { customer: customer('cus_c', {}, { name: 'C' }), source: at(1, null) },
      ]),
    );
    expect([...applied].sort()).toEqual(['cus_a', 'cus_c']);
    expect(await storedCustomers(scope)).toEqual({
      cus_a: { name: 'A at 3', metadata: { t: 'new' }, deleted: false },
      cus_b: { name: 'B at 5', metadata: { t: 'x' }, deleted: false },
      cus_c: { name: 'C', metadata: {}, deleted: false },
    });
    // a deletion arrives without metadata: the stored metadata stays (it still resolves old invoices)
    await sql.begin((tx) =>
      upsertCustomers(tx, scope, [{ customer: customer('cus_a', undefined, { deleted: true, name: null, email: null }), source: at(9) }]),
    );
    expect((await storedCustomers(scope)).cus_a).toEqual({ name: 'A at 3', metadata: { t: 'new' }, deleted: true });
  });

  it('moves the invoices and events of unlinked customers to the tenant their metadata names, in one call', async () => {
    const scope = await newScope();
    await updateSettings(sql, scope, { tenant_metadata_key: 'tenant' });
    const acme = await createTenant(sql, scope, { name: 'Acme', external_ref: 'acme' });
    const globex = await createTenant(sql, scope, { name: 'Globex', external_ref: 'globex' });
    const linked = await createTenant(sql, scope, { name: 'Linked', external_ref: 'linked' });
    await addLink(sql, scope, linked.id, { gateway: 'stripe', external_id: 'cus_linked' });
    await addLink(sql, scope, linked.id, { gateway: 'stripe', external_id: 'sub_linked' });

    const invoice = async (customerId: string, over: Parameters<typeof invoiceSnapshot>[0] = {}) => {
      const r = await sql.begin((tx) => applyInvoiceSnapshot(tx, scope, invoiceSnapshot({ customer_id: customerId, ...over }), at(1)));
      return r.invoiceId;
    };
    const one = await invoice('cus_one');
    const two = await invoice('cus_two');
    const bySubscription = await invoice('cus_two', { subscription_id: 'sub_linked', tenant_id: linked.id });
    const ofLinked = await invoice('cus_linked', { tenant_id: linked.id });
    await storeEvent(scope, 'evt_one_invoice', 'cus_one', one);
    await storeEvent(scope, 'evt_two_customer', 'cus_two', null);
    await storeEvent(scope, 'evt_linked_customer', 'cus_linked', null);

    await sql.begin((tx) =>
      upsertCustomers(tx, scope, [
        { customer: customer('cus_one', { tenant: 'acme' }), source: at(2) },
        { customer: customer('cus_two', { tenant: 'globex' }), source: at(2) },
        { customer: customer('cus_linked', { tenant: 'acme' }), source: at(2) },
      ]),
    );
    await sql.begin((tx) => retenantCustomers(tx, scope, 'stripe', ['cus_one', 'cus_two', 'cus_linked']));

    const invoices = Object.fromEntries(
      (await sql<{ id: string; tenant_id: string | null }[]>`SELECT id, tenant_id FROM invoices WHERE account_id = ${scope.accountId}`).map(
        (r) => [r.id, r.tenant_id],
      ),
    );
    expect(invoices).toEqual({
      [one]: acme.id,
      [two]: globex.id,
      [bySubscription]: linked.id, // its subscription's link wins over the customer's metadata
      [ofLinked]: linked.id, // a linked customer's metadata moves nothing
    });
    const events = Object.fromEntries(
      (await sql<{ event_id: string; tenant_id: string | null }[]>`SELECT event_id, tenant_id FROM payment_events WHERE account_id = ${scope.accountId}`).map(
        (r) => [r.event_id, r.tenant_id],
      ),
    );
    expect(events).toEqual({ evt_one_invoice: acme.id, evt_two_customer: globex.id, evt_linked_customer: null });
  });
});
