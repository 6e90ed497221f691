// Read side of the payment-event log: the filtered, keyset-paginated list (newest occurrence first)
// and one event with its payload. Replay itself lives with the pipeline (events.ts).
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';
import { notFound } from './errors.js';
import type { TenantRef } from './invoice-queries.js';
import type { InvoiceStatus } from './invoices.js';
import { newestFirstPage } from './pagination.js';
import { pastDueRule, scopeGraceDays, type InvoiceState } from './past-due-rule.js';
import { isUuid } from './query-input.js';
import type { Gateway } from './tenants.js';

export interface EventInvoiceRef {
  id: string;
  number: string | null;
  total: number;
  currency: string;
  status: InvoiceStatus;
  /** derived when read, as in the invoice list */
  state: InvoiceState;
  past_due: boolean;
}

export interface PaymentEvent {
  id: string;
  gateway: Gateway;
  type: string;
  event_id: string;
  tenant: TenantRef | null;
  processed: boolean;
  state: 'pending' | 'processed' | 'ignored' | 'failed';
  ignored: boolean;
  error: string | null;
  received_at: Date;
  occurred_at: Date;
  /** the linked invoice; null when none, or when it was a deleted draft */
  invoice: EventInvoiceRef | null;
}

export interface PaymentEventDetail extends PaymentEvent {
  object_id: string | null;
  customer_id: string | null;
  processed_at: Date | null;
  payload: unknown;
}

type EventRow = Omit<PaymentEvent, 'tenant' | 'invoice'> & {
  tenant_id: string | null;
  tenant_name: string | null;
  invoice_id: string | null;
  invoice_number: string | null;
  invoice_total: number | null;
  invoice_currency: string | null;
  invoice_status: InvoiceStatus | null;
  invoice_state: InvoiceState | null;
  invoice_past_due: boolean | null;
};

function toEvent<R extends EventRow>(row: R) {
  const {
    tenant_id,
    tenant_name,
    invoice_id,
    invoice_number,
    invoice_total,
    invoice_currency,
    invoice_status,
    invoice_state,
    invoice_past_due,
    ...rest
  } = row;
  return {
    ...rest,
    tenant: tenant_id && tenant_name !== null ? { id: tenant_id, name: tenant_name } : null,
    invoice:
      invoice_id && invoice_status
        ? {
            id: invoice_id,
            number: invoice_number,
            total: invoice_total ?? 0,
            currency: invoice_currency ?? '',
            status: invoice_status,
            state: invoice_state ?? invoice_status,
            past_due: !!invoice_past_due,
          }
        : null,
  };
}

/** Columns of an event item, from `payment_events e` joined to its tenant `t` and invoice `i`. */
const itemColumns = (db: Db, scope: Scope, now: Date) => {
  const rule = pastDueRule(db, now, () => scopeGraceDays(db, scope));
  return db`
  e.id, e.gateway, e.type, e.event_id, e.tenant_id, t.name AS tenant_name, e.processed, e.state, e.ignored, e.error,
  e.received_at, e.occurred_at, i.id AS invoice_id, i.number AS invoice_number, i.total AS invoice_total,
  i.currency AS invoice_currency, i.status AS invoice_status, ${rule.state()} AS invoice_state,
  ${rule.isPastDue()} AS invoice_past_due`;
};

const joins = (db: Db) => db`
  LEFT JOIN tenants t ON t.id = e.tenant_id AND t.account_id = e.account_id AND t.livemode = e.livemode
  LEFT JOIN invoices i ON i.id = e.invoice_id AND i.account_id = e.account_id AND i.livemode = e.livemode
    AND NOT i.deleted`;

export interface EventFilters {
  limit: number;
  cursor?: string;
  gateway?: Gateway;
  type?: string;
  tenant_id?: string;
  /** occurred_at bounds: from inclusive, to exclusive */
  from?: Date;
  to?: Date;
  /** true: processed (ignored ones included); false: processing failed */
  processed?: boolean;
}

/** The list's conditions on `payment_events e` (scope and filters, no cursor): the list and the CSV export share them. */
export function eventFilterSql(db: Db, scope: Scope, filters: Omit<EventFilters, 'limit' | 'cursor'>) {
  return db`e.account_id = ${scope.accountId} AND e.livemode = ${scope.livemode}
    ${filters.gateway ? db`AND e.gateway = ${filters.gateway}` : db``}
    ${filters.type ? db`AND e.type = ${filters.type}` : db``}
    ${filters.tenant_id ? db`AND e.tenant_id = ${filters.tenant_id}` : db``}
    ${filters.from ? db`AND e.occurred_at >= ${filters.from}` : db``}
    ${filters.to ? db`AND e.occurred_at < ${filters.to}` : db``}
    ${filters.processed === undefined ? db`` : db`AND e.processed = ${filters.processed}`}`;
}

export async function listEvents(
  db: Db,
  scope: Scope,
  filters: EventFilters,
  now: Date = new Date(),
): Promise<{ data: PaymentEvent[]; next_cursor: string | null }> {
  const result = await newestFirstPage<EventRow>(
    db,
    { columns: itemColumns(db, scope, now), table: 'payment_events', alias: 'e', time: 'occurred_at',
      where: eventFilterSql(db, scope, filters), joins: joins(db), limit: filters.limit, cursor: filters.cursor },
    (r) => r.occurred_at,
  );
  return { data: result.data.map(toEvent), next_cursor: result.next_cursor };
}

/** One event of the scope with its payload and linked invoice; else not_found. */
export async function getEventDetail(db: Db, scope: Scope, id: string, now: Date = new Date()): Promise<PaymentEventDetail> {
  if (!isUuid(id)) throw notFound('event');
  const [row] = await db<(EventRow & Pick<PaymentEventDetail, 'object_id' | 'customer_id' | 'processed_at' | 'payload'>)[]>`
    SELECT ${itemColumns(db, scope, now)}, e.object_id, e.customer_id, e.processed_at, e.payload
    FROM payment_events e ${joins(db)}
    WHERE e.account_id = ${scope.accountId} AND e.livemode = ${scope.livemode} AND e.id = ${id}`;
  if (!row) throw notFound('event');
  return toEvent(row);
}
