// Gateway customers as the gateways describe them, and the tenant a customer belongs to:
// its tenant link first, else its metadata value under the account's tenant_metadata_key
// matched against a tenant's external_ref.
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';
import type { ChangeSource } from './invoices.js';
import { tenantForIdentities, type Gateway } from './tenants.js';

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

/**
 * Stores a customer unless a newer source already described it. Returns whether it was applied.
 * Ties on time are broken by event id, like invoices.
 */
export async function upsertCustomer(db: Db, scope: Scope, customer: GatewayCustomer, source: ChangeSource): Promise<boolean> {
  const rows = await db<{ external_id: string }[]>`
    INSERT INTO gateway_customers (account_id, livemode, gateway, external_id, email, name, metadata, deleted,
                                   source_time, source_event_id)
    VALUES (${scope.accountId}, ${scope.livemode}, ${customer.gateway}, ${customer.external_id}, ${customer.email},
            ${customer.name}, ${db.json(customer.metadata ?? {})}, ${customer.deleted}, ${source.time}, ${source.eventId})
    ON CONFLICT (account_id, livemode, gateway, external_id) DO UPDATE SET
      email = COALESCE(EXCLUDED.email, gateway_customers.email),
      name = COALESCE(EXCLUDED.name, gateway_customers.name),
      metadata = ${customer.metadata === undefined ? db`gateway_customers.metadata` : db`EXCLUDED.metadata`},
      deleted = EXCLUDED.deleted,
      source_time = EXCLUDED.source_time, source_event_id = EXCLUDED.source_event_id, updated_at = now()
    WHERE (gateway_customers.source_time, COALESCE(gateway_customers.source_event_id, ''))
        < (EXCLUDED.source_time, COALESCE(EXCLUDED.source_event_id, ''))
    RETURNING external_id`;
  return rows.length > 0;
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
 * After a customer's metadata changed: its invoices and events follow the tenant the metadata now
 * names. Only for customers without a tenant link (a link always wins), and never for invoices
 * whose subscription is linked. Returns the customer's tenant.
 */
export async function retenantCustomer(db: Db, scope: Scope, gateway: Gateway, customerId: string): Promise<string | null> {
  const linked = await tenantForIdentities(db, scope, gateway, [customerId]);
  if (linked) return linked;
  // not linked: the metadata half of the one rule (resolveTenant) decides
  const tenantId = await resolveTenant(db, scope, gateway, { identities: [], metadata: null, customerId });
  const moved = await db<{ id: string }[]>`
    UPDATE invoices i SET tenant_id = ${tenantId}, updated_at = now()
    WHERE i.account_id = ${scope.accountId} AND i.livemode = ${scope.livemode} AND i.gateway = ${gateway}
      AND i.customer_id = ${customerId} AND i.tenant_id IS DISTINCT FROM ${tenantId}::uuid
      AND NOT EXISTS (
        SELECT 1 FROM tenant_links l
        WHERE l.account_id = ${scope.accountId} AND l.livemode = ${scope.livemode} AND l.gateway = ${gateway}
          AND l.external_id = i.subscription_id)
    RETURNING i.id`;
  const movedIds = moved.map((r) => r.id);
  await db`
    UPDATE payment_events e SET tenant_id = ${tenantId}
    WHERE e.account_id = ${scope.accountId} AND e.livemode = ${scope.livemode} AND e.gateway = ${gateway}
      AND e.tenant_id IS DISTINCT FROM ${tenantId}::uuid
      AND (e.invoice_id = ANY(${movedIds}::uuid[]) OR (e.invoice_id IS NULL AND e.customer_id = ${customerId}))`;
  return tenantId;
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
