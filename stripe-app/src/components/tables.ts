// DataTable columns and rows of invoices and payment events. Cells hold display strings (money is
// formatted per currency here, never summed); statuses use the shared status map.
import type { DataTableColumn, DataTableItem } from '@stripe/ui-extension-sdk/ui';
import type { EventResponse, InvoiceResponse, PastDueResponse } from '../api/client';
import { formatDate, formatDateTime, formatMoney, invoiceLabel } from '../format';
import { STATUS_MAP, eventStatusKey, invoiceStatusKey, statusLabel } from './status';

/** Failed payments are retried from the list (and from the invoice's panel). */
export const canRetry = (inv: Pick<InvoiceResponse, 'gateway' | 'state'>) => inv.gateway === 'stripe' && inv.state === 'failed';

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

export function invoiceRows(invoices: InvoiceResponse[], locale: string): DataTableItem[] {
  return invoices.map((inv) => ({
    id: inv.id,
    number: invoiceLabel(inv, locale),
    tenant: inv.tenant?.name ?? 'Unassigned',
    amount: formatMoney(inv.total, inv.currency, locale),
    tax: formatMoney(inv.tax, inv.currency, locale),
    status: statusLabel(invoiceStatusKey(inv)),
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
