// DataTable columns and rows of invoices and payment events. Cells hold display strings (money is
// formatted per currency here, never summed); statuses use the shared status map.
import type { DataTableColumn, DataTableItem } from '@stripe/ui-extension-sdk/ui';
import type { EventResponse, InvoiceResponse, PastDueResponse } from '../api/client';
import { formatDate, formatDateTime, formatMoney } from '../format';
import { STATUS_MAP, eventStatusKey, statusLabel } from './status';

/** The one badge an invoice shows (the API's `state`). */
export type InvoiceState = 'draft' | 'open' | 'past_due' | 'failed' | 'paid' | 'uncollectible' | 'void';
export const INVOICE_STATES: InvoiceState[] = ['draft', 'open', 'past_due', 'failed', 'paid', 'uncollectible', 'void'];

/** An invoice as the list answers it; `state` and `dashboard_url` are optional until every backend sends them. */
export type InvoiceItem = Pick<InvoiceResponse, 'past_due' | 'number' | 'external_id' | 'gateway' | 'created_at'> & {
  status: string;
  state?: InvoiceState;
  dashboard_url?: string | null;
};

/** `state` when the backend sends it; else the same rule derived from status and past_due. */
export const invoiceState = (inv: InvoiceItem): InvoiceState =>
  inv.state ?? (inv.status === 'open' && inv.past_due ? 'past_due' : (inv.status as InvoiceState));

/** Failed payments are retried from the list (and from the invoice's panel). */
export const canRetry = (inv: InvoiceItem) => inv.gateway === 'stripe' && invoiceState(inv) === 'failed';

/**
 * What a person reads as the invoice's name: its number; a draft (no number yet) by its date;
 * a PayPal subscription's unpaid balance (ledger id `<subscription>:outstanding`) as such.
 */
export function invoiceLabel(inv: InvoiceItem, locale: string): string {
  if (inv.number) return inv.number;
  if (inv.gateway === 'paypal' && inv.external_id.endsWith(':outstanding')) return 'PayPal outstanding balance';
  if (inv.status === 'draft') return `Draft of ${formatDate(inv.created_at, locale)}`;
  return inv.external_id;
}

const gatewayName = (g: string) => (g === 'stripe' ? 'Stripe' : g === 'paypal' ? 'PayPal' : g);

export const INVOICE_COLUMNS: DataTableColumn[] = [
  { key: 'number', label: 'Number' },
  { key: 'tenant', label: 'Tenant' },
  { key: 'amount', label: 'Amount' },
  { key: 'tax', label: 'Tax' },
  { key: 'status', label: 'Status', cell: { type: 'status', statusMap: STATUS_MAP } },
  { key: 'gateway', label: 'Gateway' },
  { key: 'date', label: 'Date' },
];

export function invoiceRows(invoices: (InvoiceResponse & InvoiceItem)[], locale: string): DataTableItem[] {
  return invoices.map((inv) => ({
    id: inv.id,
    number: invoiceLabel(inv, locale),
    tenant: inv.tenant?.name ?? 'Unassigned',
    amount: formatMoney(inv.total, inv.currency, locale),
    tax: formatMoney(inv.tax, inv.currency, locale),
    status: statusLabel(invoiceState(inv)),
    gateway: gatewayName(inv.gateway),
    date: formatDate(inv.created_at, locale),
  }));
}

export const PAST_DUE_COLUMNS: DataTableColumn[] = [
  { key: 'number', label: 'Number' },
  { key: 'tenant', label: 'Tenant' },
  { key: 'remaining', label: 'Outstanding' },
  { key: 'days', label: 'Days past due' },
  { key: 'due', label: 'Due date' },
  { key: 'gateway', label: 'Gateway' },
];

export function pastDueRows(invoices: PastDueResponse['data'], locale: string): DataTableItem[] {
  return invoices.map((inv) => ({
    id: inv.id,
    number: invoiceLabel(inv, locale),
    tenant: inv.tenant?.name ?? 'Unassigned',
    remaining: formatMoney(inv.amount_remaining, inv.currency, locale),
    days: inv.days_past_due,
    due: formatDate(inv.due_date, locale),
    gateway: gatewayName(inv.gateway),
  }));
}

export const EVENT_COLUMNS: DataTableColumn[] = [
  { key: 'gateway', label: 'Gateway' },
  { key: 'type', label: 'Event type' },
  { key: 'tenant', label: 'Tenant' },
  { key: 'event_id', label: 'Event id', cell: { type: 'id' } },
  { key: 'processed', label: 'Processed', cell: { type: 'status', statusMap: STATUS_MAP } },
  { key: 'date', label: 'Date' },
];

export function eventRows(events: EventResponse[], locale: string): DataTableItem[] {
  return events.map((e) => ({
    id: e.id,
    gateway: gatewayName(e.gateway),
    type: e.type,
    tenant: e.tenant?.name ?? '—',
    event_id: e.event_id,
    processed: statusLabel(eventStatusKey(e)),
    date: formatDateTime(e.occurred_at, locale),
  }));
}
