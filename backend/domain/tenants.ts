// Tenants and the gateway identities linked to them.
import type { Db, Sql } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Scope } from './accounts.js';
import { conflict, notFound } from './errors.js';
import { decodeCursor, page } from './pagination.js';
import { containsPattern, isUuid } from './query-input.js';
import type { ReminderStep } from './reminder-tones.js';

export type Gateway = 'stripe' | 'paypal';

export interface TenantLink {
  id: string;
  gateway: Gateway;
  external_id: string;
  created_at: Date;
}

export interface Tenant {
  id: string;
  name: string;
  external_ref: string | null;
  customer_reminders: boolean;
  /** the tenant's own reminder escalation; null: the account's reminder_steps (tones by position) */
  reminder_steps: ReminderStep[] | null;
  created_at: Date;
  updated_at: Date;
  links: TenantLink[];
}

const stepsJson = (db: Db, steps: ReminderStep[] | null) => (steps ? db.json(steps as never) : null);

async function withLinks(db: Db, scope: Scope, tenants: Omit<Tenant, 'links'>[]): Promise<Tenant[]> {
  if (tenants.length === 0) return [];
  const ids = tenants.map((t) => t.id);
  const links = await db<(TenantLink & { tenant_id: string })[]>`
    SELECT id, tenant_id, gateway, external_id, created_at FROM tenant_links
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND tenant_id = ANY(${ids}::uuid[])
    ORDER BY created_at, id`;
  return tenants.map((t) => ({
    ...t,
    links: links.filter((l) => l.tenant_id === t.id).map(({ tenant_id: _, ...l }) => l),
  }));
}

export async function listTenants(
  db: Db,
  scope: Scope,
  opts: { limit: number; cursor?: string; q?: string; link?: string },
): Promise<{ data: Tenant[]; next_cursor: string | null }> {
  const after = decodeCursor(opts.cursor);
  const q = opts.q ? containsPattern(opts.q) : null;
  const rows = await db<Omit<Tenant, 'links'>[]>`
    SELECT id, name, external_ref, customer_reminders, reminder_steps, created_at, updated_at FROM tenants
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode}
      ${q ? db`AND (lower(name) LIKE ${q} OR lower(external_ref) LIKE ${q})` : db``}
      ${opts.link ? db`AND id IN (SELECT tenant_id FROM tenant_links WHERE account_id = ${scope.accountId}
        AND livemode = ${scope.livemode} AND external_id = ${opts.link})` : db``}
      ${after ? db`AND (created_at, id) < (${after.t}::timestamptz, ${after.id}::uuid)` : db``}
    ORDER BY created_at DESC, id DESC
    LIMIT ${opts.limit + 1}`;
  const result = page(rows, opts.limit, (r) => r.created_at);
  return { data: await withLinks(db, scope, result.data), next_cursor: result.next_cursor };
}

export async function getTenant(db: Db, scope: Scope, id: string): Promise<Tenant> {
  if (!isUuid(id)) throw notFound('tenant');
  const rows = await db<Omit<Tenant, 'links'>[]>`
    SELECT id, name, external_ref, customer_reminders, reminder_steps, created_at, updated_at FROM tenants
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND id = ${id}`;
  if (rows.length === 0) throw notFound('tenant');
  return (await withLinks(db, scope, rows))[0];
}

export interface TenantInput {
  name: string;
  external_ref?: string | null;
  customer_reminders?: boolean;
  reminder_steps?: ReminderStep[] | null;
}

export async function createTenant(db: Db, scope: Scope, input: TenantInput): Promise<Tenant> {
  try {
    const [row] = await db<{ id: string }[]>`
      INSERT INTO tenants (account_id, livemode, name, external_ref, customer_reminders, reminder_steps)
      VALUES (${scope.accountId}, ${scope.livemode}, ${input.name}, ${input.external_ref ?? null},
              ${input.customer_reminders ?? false}, ${stepsJson(db, input.reminder_steps ?? null)})
      RETURNING id`;
    return getTenant(db, scope, row.id);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`a tenant with external_ref "${input.external_ref}" already exists`);
    throw err;
  }
}

export async function updateTenant(db: Db, scope: Scope, id: string, input: Partial<TenantInput>): Promise<Tenant> {
  const current = await getTenant(db, scope, id);
  try {
    await db`
      UPDATE tenants SET
        name = ${input.name ?? current.name},
        external_ref = ${input.external_ref === undefined ? current.external_ref : input.external_ref},
        customer_reminders = ${input.customer_reminders ?? current.customer_reminders},
        reminder_steps = ${stepsJson(db, input.reminder_steps === undefined ? current.reminder_steps : input.reminder_steps)},
        updated_at = now()
      WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND id = ${id}`;
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`a tenant with external_ref "${input.external_ref}" already exists`);
    throw err;
  }
  return getTenant(db, scope, id);
}

/** Deletes a tenant; its invoices and events stay, without a tenant. */
export async function deleteTenant(db: Db, scope: Scope, id: string): Promise<void> {
  if (!isUuid(id)) throw notFound('tenant');
  const rows = await db`
    DELETE FROM tenants WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND id = ${id}
    RETURNING id`;
  if (rows.length === 0) throw notFound('tenant');
}

/**
 * Moves the invoices and events of one gateway identity to `tenantId` (null: none). Stripe
 * identities are customers; PayPal ones are subscriptions or payers.
 */
async function reassignIdentity(db: Db, scope: Scope, gateway: Gateway, externalId: string, tenantId: string | null) {
  await db`
    UPDATE invoices SET tenant_id = ${tenantId}, updated_at = now()
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND gateway = ${gateway}
      AND (customer_id = ${externalId} OR subscription_id = ${externalId})`;
  await db`
    UPDATE payment_events e SET tenant_id = ${tenantId}
    WHERE e.account_id = ${scope.accountId} AND e.livemode = ${scope.livemode} AND e.gateway = ${gateway}
      AND (e.customer_id = ${externalId} OR e.object_id = ${externalId} OR e.invoice_id IN (
        SELECT i.id FROM invoices i
        WHERE i.account_id = ${scope.accountId} AND i.livemode = ${scope.livemode} AND i.gateway = ${gateway}
          AND (i.customer_id = ${externalId} OR i.subscription_id = ${externalId})))`;
}

export async function addLink(
  sql: Sql,
  scope: Scope,
  tenantId: string,
  input: { gateway: Gateway; external_id: string },
): Promise<TenantLink> {
  return sql.begin(async (tx) => {
    await getTenant(tx, scope, tenantId);
    const existing = await tx<{ tenant_id: string }[]>`
      SELECT tenant_id FROM tenant_links
      WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode}
        AND gateway = ${input.gateway} AND external_id = ${input.external_id}`;
    if (existing.length > 0) {
      throw conflict(`${input.gateway} identity ${input.external_id} is already linked to a tenant`);
    }
    let link: TenantLink;
    try {
      [link] = await tx<TenantLink[]>`
        INSERT INTO tenant_links (account_id, livemode, tenant_id, gateway, external_id)
        VALUES (${scope.accountId}, ${scope.livemode}, ${tenantId}, ${input.gateway}, ${input.external_id})
        RETURNING id, gateway, external_id, created_at`;
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`${input.gateway} identity ${input.external_id} is already linked to a tenant`);
      throw err;
    }
    await reassignIdentity(tx, scope, input.gateway, input.external_id, tenantId);
    return link;
  });
}

export async function removeLink(sql: Sql, scope: Scope, tenantId: string, linkId: string): Promise<void> {
  if (!isUuid(tenantId) || !isUuid(linkId)) throw notFound('link');
  await sql.begin(async (tx) => {
    const [removed] = await tx<{ gateway: Gateway; external_id: string }[]>`
      DELETE FROM tenant_links
      WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND tenant_id = ${tenantId} AND id = ${linkId}
      RETURNING gateway, external_id`;
    if (!removed) throw notFound('link');
    await reassignIdentity(tx, scope, removed.gateway, removed.external_id, null);
  });
}

/** The tenant linked to any of the given gateway identities, if one is. */
export async function tenantForIdentities(
  db: Db,
  scope: Scope,
  gateway: Gateway,
  externalIds: (string | null | undefined)[],
): Promise<string | null> {
  const ids = externalIds.filter((x): x is string => !!x);
  if (ids.length === 0) return null;
  const [row] = await db<{ tenant_id: string }[]>`
    SELECT tenant_id FROM tenant_links
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND gateway = ${gateway}
      AND external_id = ANY(${ids}::text[])
    ORDER BY array_position(${ids}::text[], external_id)
    LIMIT 1`;
  return row?.tenant_id ?? null;
}
