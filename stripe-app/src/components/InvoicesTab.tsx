// Invoices tab: filters (date range, status, gateway, tenant, search), a cursor-paginated
// DataTable, the status legend, and the invoice's details on row click.
import { useState } from 'react';
import { Box, DataTable, FocusView, Select, TextField } from '@stripe/ui-extension-sdk/ui';
import type { DateRangePickerValue } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient, Gateway, InvoiceStatusFilter } from '../api/client';
import { usePagedList } from '../api/hooks';
import { rangeToFilter } from '../date-range';
import { DateFilter, GatewayFilter } from './filters';
import { InvoicePanel } from './InvoicePanel';
import { ErrorBanner } from './states';
import { INVOICE_STATES, StatusLegend } from './status';
import { INVOICE_COLUMNS, invoiceRows } from './tables';
import { TenantPicker } from './TenantPicker';

export const PAGE_SIZE = 25;

export function InvoicesTab({ api, locale }: { api: ApiClient; locale: string }) {
  const [range, setRange] = useState<DateRangePickerValue>({ range: undefined });
  const [status, setStatus] = useState('');
  const [gateway, setGateway] = useState('');
  const [tenantId, setTenantId] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [open, setOpen] = useState<string | null>(null);

  const filters = {
    ...rangeToFilter(range.range),
    status: (status || undefined) as InvoiceStatusFilter | undefined,
    gateway: (gateway || undefined) as Gateway | undefined,
    tenant_id: tenantId ?? undefined,
    q: q.trim() || undefined,
  };
  const list = usePagedList((cursor) => api.listInvoices({ ...filters, limit: PAGE_SIZE, cursor }), [api, filters]);

  return (
    <Box css={{ stack: 'y', gap: 'medium' }}>
      <Box css={{ stack: 'x', gap: 'medium', wrap: 'wrap', alignY: 'bottom' }}>
        <DateFilter value={range} onChange={setRange} />
        <Select label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">All statuses</option>
          <option value="draft">Draft</option>
          <option value="open">Open</option>
          <option value="past_due">Past due</option>
          <option value="paid">Paid</option>
          <option value="uncollectible">Uncollectible</option>
          <option value="void">Void</option>
        </Select>
        <GatewayFilter value={gateway} onChange={setGateway} />
        <TenantPicker api={api} onChange={setTenantId} />
        <TextField label="Search" placeholder="Number, invoice or customer id" value={q} onChange={(e) => setQ(e.target.value)} />
      </Box>
      {list.error ? <ErrorBanner title="Could not load invoices" error={list.error} onRetry={list.reload} /> : null}
      <DataTable
        columns={INVOICE_COLUMNS}
        items={list.error ? [] : invoiceRows(list.items, locale)}
        loading={list.loading}
        emptyMessage="No invoices match these filters."
        onRowClick={(item) => setOpen(String(item.id))}
        pagination={{ pageSize: PAGE_SIZE, currentPage: list.page, onPageChange: list.goToPage, hasMore: list.hasMore }}
      />
      <StatusLegend statuses={INVOICE_STATES} />
      <FocusView title="Invoice" shown={open !== null} setShown={(shown) => !shown && setOpen(null)}>
        {open ? <InvoicePanel api={api} invoiceId={open} locale={locale} /> : <Box>{''}</Box>}
      </FocusView>
    </Box>
  );
}
