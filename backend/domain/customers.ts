// Gateway customers as the gateways describe them, and the tenant a customer belongs to:
// its tenant link first, else its metadata value under the account's tenant_metadata_key
// matched against a tenant's external_ref.
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';
import type { ChangeSource } from './invoices.js';
import type { Gateway } from './tenants.js';

export type Metadata = Record<string, string>;

export interface GatewayCustomer {
  gateway: Gateway;
  external_id: string;
  email: string | null;
  name: string | null;
  /** undefined keeps the stored metadata (a deleted customer arrives without it) */
  metadata?: Metadata;
  deleted: boolean;
}

/** A customer and the source that describes it. */
export interface CustomerChange {
  customer: GatewayCustomer;
  source: ChangeSource;
}

/** (time, event id): a later pair wins; a null event id sorts first, as in the table's guard. */
const newer = (x: ChangeSource, y: ChangeSource) =>
  x.time.getTime() !== y.time.getTime() ? x.time > y.time : (x.eventId ?? '') > (y.eventId ?? '');

/**
 * Stores customers, each unless a newer source already described it, in one statement. Returns the
 * external ids that were applied. Ties on time are broken by event id, like invoices; of one
 * customer given twice, the newer change is the one stored.
 */
export async function upsertCustomers(db: Db, scope: Scope, changes: CustomerChange[]): Promise<Set<string>> {
  const latest = new Map<string, CustomerChange>();
  for (const change of changes) {
    const key = `${change.customer.gateway}:${change.customer.external_id}`;
    const seen = latest.get(key);
    if (!seen || newer(change.source, seen.source)) latest.set(key, change);
  }
  if (latest.size === 0) return new Set();
  // in key order, so concurrent batches lock their rows in one order
  const input = [...latest.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([, { customer: c, source }]) => ({
    gateway: c.gateway,
    external_id: c.external_id,
    email: c.email,
    name: c.name,
    metadata: c.metadata ?? null,
    deleted: c.deleted,
    source_time: source.time.toISOString(),
    source_event_id: source.eventId,
  }));
  const rows = await db<{ external_id: string }[]>`
    INSERT INTO gateway_customers (account_id, livemode, gateway, external_id, email, name, metadata, deleted,
                                   source_time, source_event_id)
    SELECT ${scope.accountId}, ${scope.livemode}, c.gateway, c.external_id, c.email, c.name,
           -- without metadata (a deleted customer) the stored metadata is kept
           COALESCE(c.metadata, (
             SELECT g.metadata FROM gateway_customers g
             WHERE g.account_id = ${scope.accountId} AND g.livemode = ${scope.livemode} AND g.gateway = c.gateway
               AND g.external_id = c.external_id), '{}'::jsonb),
           c.deleted, c.source_time, c.source_event_id
    FROM jsonb_to_recordset(${db.json(input as never)}) AS c (gateway text, external_id text, email text, name text,
      metadata jsonb, deleted boolean, source_time timestamptz, source_event_id text)
    ON CONFLICT (account_id, livemode, gateway, external_id) DO UPDATE SET
      email = COALESCE(EXCLUDED.email, gateway_customers.email),
      name = COALESCE(EXCLUDED.name, gateway_customers.name),
      metadata = EXCLUDED.metadata,
      deleted = EXCLUDED.deleted,
      source_time = EXCLUDED.source_time, source_event_id = EXCLUDED.source_event_id, updated_at = now()
    WHERE (gateway_customers.source_time, COALESCE(gateway_customers.source_event_id, ''))
        < (EXCLUDED.source_time, COALESCE(EXCLUDED.source_event_id, ''))
    RETURNING external_id`;
  return new Set(rows.map((r) => r.external_id));
}

export interface TenantClues {
  /** gateway identities that may carry a tenant link, strongest first (customer, then subscription) */
  identities: (string | null | undefined)[];
  /** the customer's metadata; null means "look up the stored customer" */
  metadata: Metadata | null;
  /** the customer whose stored metadata to use when `metadata` is null */
  customerId?: string | null;
  /** a tenant already known for the object (a PayPal subscription's), used when no identity is linked */
  known?: string | null;
  /** a tenant's external_ref given directly (PayPal's custom_id), the last resort */
  ref?: string | null;
}

/**
 * The tenant of a gateway object: a link on one of its identities, else a tenant already known for
 * it, else its metadata value under the account's tenant_metadata_key matched against a tenant's
 * external_ref, else a tenant whose external_ref is the given ref. One statement (it runs for every
 * webhook): the link, the stored metadata and the setting are read together.
 */
export async function resolveTenant(db: Db, scope: Scope, gateway: Gateway, clues: TenantClues): Promise<string | null> {
  const [tenantId] = await resolveTenants(db, scope, gateway, [clues]);
  return tenantId;
}

/**
 * After customers' metadata changed: their invoices and events follow the tenant the metadata now
 * names. Only for customers without a tenant link (a link always wins), and never for invoices
 * whose subscription is linked. Set-based: a few statements for any number of customers.
 */
export async function retenantCustomers(db: Db, scope: Scope, gateway: Gateway, customerIds: string[]): Promise<void> {
  if (customerIds.length === 0) return;
  const a = scope.accountId;
  const m = scope.livemode;
  const linked = new Set(
    (
      await db<{ external_id: string }[]>`
        SELECT external_id FROM tenant_links
        WHERE account_id = ${a} AND livemode = ${m} AND gateway = ${gateway} AND external_id = ANY(${customerIds}::text[])`
    ).map((r) => r.external_id),
  );
  const unlinked = [...new Set(customerIds)].filter((id) => !linked.has(id)).sort();
  if (unlinked.length === 0) return;
  // not linked: the metadata half of the one rule (resolveTenants) decides
  const tenants = await resolveTenants(db, scope, gateway, unlinked.map((customerId) => ({ identities: [], metadata: null, customerId })));
  const input = () => db.json(unlinked.map((customer_id, n) => ({ customer_id, tenant_id: tenants[n] })) as never);
  const moved = await db<{ id: string; tenant_id: string | null }[]>`
    UPDATE invoices i SET tenant_id = c.tenant_id, updated_at = now()
    FROM jsonb_to_recordset(${input()}) AS c (customer_id text, tenant_id uuid)
    WHERE i.account_id = ${a} AND i.livemode = ${m} AND i.gateway = ${gateway}
      AND i.customer_id = c.customer_id AND i.tenant_id IS DISTINCT FROM c.tenant_id
      AND NOT EXISTS (
        SELECT 1 FROM tenant_links l
        WHERE l.account_id = ${a} AND l.livemode = ${m} AND l.gateway = ${gateway} AND l.external_id = i.subscription_id)
    RETURNING i.id, i.tenant_id`;
  // the moved invoices' events, and the customers' events about no invoice
  if (moved.length > 0) {
    await db`
      UPDATE payment_events e SET tenant_id = x.tenant_id
      FROM jsonb_to_recordset(${db.json(moved as never)}) AS x (id uuid, tenant_id uuid)
      WHERE e.account_id = ${a} AND e.livemode = ${m} AND e.gateway = ${gateway}
        AND e.invoice_id = x.id AND e.tenant_id IS DISTINCT FROM x.tenant_id`;
  }
  await db`
    UPDATE payment_events e SET tenant_id = c.tenant_id
    FROM jsonb_to_recordset(${input()}) AS c (customer_id text, tenant_id uuid)
    WHERE e.account_id = ${a} AND e.livemode = ${m} AND e.gateway = ${gateway}
      AND e.invoice_id IS NULL AND e.customer_id = c.customer_id AND e.tenant_id IS DISTINCT FROM c.tenant_id`;
}

/** resolveTenant for many objects of a batch in one statement; the result is in the order of `clues`. */
export async function resolveTenants(db: Db, scope: Scope, gateway: Gateway, clues: TenantClues[]): Promise<(string | null)[]> {
  if (clues.length === 0) return [];
  const a = scope.accountId;
  const m = scope.livemode;
  const input = clues.map((c, ord) => ({
    ord,
    ids: c.identities.filter((x): x is string => !!x),
    metadata: c.metadata,
    customer_id: c.customerId ?? null,
    known: c.known ?? null,
    ref: c.ref ?? null,
  }));
  const rows = await db<{ ord: number; tenant_id: string | null }[]>`
    SELECT c.ord, COALESCE(
      (SELECT l.tenant_id FROM tenant_links l
       WHERE l.account_id = ${a} AND l.livemode = ${m} AND l.gateway = ${gateway}
         AND l.external_id = ANY(ARRAY(SELECT jsonb_array_elements_text(c.ids)))
       ORDER BY array_position(ARRAY(SELECT jsonb_array_elements_text(c.ids)), l.external_id)
       LIMIT 1),
      c.known,
      (SELECT t.id FROM account_settings s
       JOIN tenants t ON t.account_id = s.account_id AND t.livemode = s.livemode
       WHERE s.account_id = ${a} AND s.livemode = ${m} AND s.tenant_metadata_key IS NOT NULL AND t.external_ref <> ''
         AND t.external_ref = COALESCE(c.metadata, (
           SELECT g.metadata FROM gateway_customers g
           WHERE g.account_id = ${a} AND g.livemode = ${m} AND g.gateway = ${gateway}
             AND g.external_id = c.customer_id)) ->> s.tenant_metadata_key),
      (SELECT t.id FROM tenants t WHERE t.account_id = ${a} AND t.livemode = ${m} AND c.ref <> '' AND t.external_ref = c.ref)
    ) AS tenant_id
    FROM jsonb_to_recordset(${db.json(input as never)}) AS c (ord integer, ids jsonb, metadata jsonb, customer_id text, known uuid, ref text)`;
  const out: (string | null)[] = new Array(clues.length).fill(null);
  for (const r of rows) out[r.ord] = r.tenant_id;
  return out;
}
