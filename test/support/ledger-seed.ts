// Seeds invoices, events and tenants for a test account through the ledger's own write paths
// (applyInvoiceSnapshot, ingestEvent, createTenant), so read tests see exactly what webhooks store.
import { randomBytes } from 'node:crypto';
import type { Sql } from '../../backend/db/client.js';
import { ensureAccount, type Scope } from '../../backend/domain/accounts.js';
import { ingestEvent, type EventProcessor, type IncomingEvent } from '../../backend/domain/events.js';
import { applyInvoiceSnapshot, type InvoiceSnapshot } from '../../backend/domain/invoices.js';
import { createTenant, type Tenant } from '../../backend/domain/tenants.js';
import type { Harness } from './app-harness.js';

const uid = () => randomBytes(6).toString('hex');

/** The scope a harness calls the API in: its account, test mode unless told otherwise. */
export const harnessScope = (h: Pick<Harness, 'accountId'>, mode: 'test' | 'live' = 'test'): Scope => ({
  accountId: h.accountId,
  livemode: mode === 'live',
});

export async function seedTenant(sql: Sql, scope: Scope, name: string, externalRef: string | null = null): Promise<Tenant> {
  await ensureAccount(sql, scope.accountId);
  return createTenant(sql, scope, { name, external_ref: externalRef });
}

/** A complete open Stripe invoice of 10.00 USD; `over` changes any field. */
export function invoiceSnapshot(over: Partial<InvoiceSnapshot> = {}): InvoiceSnapshot {
  const id = uid();
  return {
    gateway: 'stripe',
    external_id: `in_${id}`,
    number: `INV-${id.toUpperCase()}`,
    customer_id: 'cus_seed',
    subscription_id: null,
    tenant_id: null,
    currency: 'usd',
    total: 1000,
    tax: 0,
    amount_due: 1000,
    amount_paid: 0,
    amount_remaining: 1000,
    status: 'open',
    collection_method: 'charge_automatically',
    attempt_count: 0,
    due_date: null,
    hosted_url: null,
    pdf_url: null,
    created_at: new Date('2026-01-15T12:00:00Z'),
    ...over,
  };
}

export interface SeedSource {
  /** when the change happened (default: the invoice's created_at) */
  time?: Date;
  eventId?: string;
}

/** Applies a snapshot as a webhook would (a later call with the same external_id updates it); returns the invoice id. */
export async function seedInvoice(
  sql: Sql,
  scope: Scope,
  over: Partial<InvoiceSnapshot> = {},
  source: SeedSource = {},
): Promise<string> {
  await ensureAccount(sql, scope.accountId);
  const snap = invoiceSnapshot(over);
  const eventId = source.eventId ?? `evt_${uid()}`;
  const time = source.time ?? snap.created_at;
  const { invoiceId } = await sql.begin((tx) =>
    applyInvoiceSnapshot(tx, scope, snap, { time, eventId, label: `event:${eventId}` }),
  );
  return invoiceId;
}

export interface SeedEventOptions extends Partial<IncomingEvent> {
  /** invoice and tenant the processing links the event to */
  invoice_id?: string | null;
  tenant_id?: string | null;
  /** processing throws this message (the event is stored failed) */
  fail?: string;
  /** processing marks the event ignored */
  ignored?: boolean;
}

/** Stores and processes an event through the real pipeline, with a processor that does what `opts` says. */
export async function seedEvent(sql: Sql, scope: Scope, opts: SeedEventOptions = {}): Promise<string> {
  const { invoice_id = null, tenant_id = null, fail, ignored, ...over } = opts;
  const eventId = over.event_id ?? `evt_${uid()}`;
  const event: IncomingEvent = {
    gateway: 'stripe',
    event_id: eventId,
    type: 'invoice.paid',
    object_id: null,
    customer_id: null,
    occurred_at: new Date('2026-01-15T12:00:00Z'),
    payload: { id: eventId, object: 'event', type: over.type ?? 'invoice.paid' },
    ...over,
  };
  const processor: EventProcessor = async () => {
    if (fail) throw new Error(fail);
    return ignored ? { ignored: true } : { tenant_id, invoice_id };
  };
  const result = await ingestEvent(sql, scope, event, processor);
  return result.id;
}
