// Payment events tab: filters (gateway, type, tenant, processed, date range), a cursor-paginated
// DataTable, and on row click the event with its invoice.
import { useState } from 'react';
import { Accordion, AccordionItem, Box, DataTable, Divider, FocusView, PropertyList, PropertyListItem, Select, TextField } from '@stripe/ui-extension-sdk/ui';
import type { DateRangePickerValue } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient, Gateway } from '../api/client';
import { usePagedList, useRequest } from '../api/hooks';
import { rangeToFilter } from '../date-range';
import { formatDateTime } from '../format';
import { DateFilter, GatewayFilter } from './filters';
import { InvoicePanel } from './InvoicePanel';
import { PAGE_SIZE } from './InvoicesTab';
import { Empty, ErrorBanner, Loading } from './states';
import { EVENT_STATUSES, StatusBadge, StatusLegend, eventStatusKey } from './status';
import { EVENT_COLUMNS, eventRows } from './tables';
import { TenantPicker } from './TenantPicker';

export function EventsTab({ api, locale }: { api: ApiClient; locale: string }) {
  const [range, setRange] = useState<DateRangePickerValue>({ range: undefined });
  const [gateway, setGateway] = useState('');
  const [type, setType] = useState('');
  const [processed, setProcessed] = useState('');
  const [tenantId, setTenantId] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const filters = {
    ...rangeToFilter(range.range),
    gateway: (gateway || undefined) as Gateway | undefined,
    type: type.trim() || undefined,
    tenant_id: tenantId ?? undefined,
    processed: processed === '' ? undefined : processed === 'true',
  };
  const list = usePagedList((cursor) => api.listEvents({ ...filters, limit: PAGE_SIZE, cursor }), [api, filters]);

  return (
    <Box css={{ stack: 'y', gap: 'medium' }}>
      <Box css={{ stack: 'x', gap: 'medium', wrap: 'wrap', alignY: 'bottom' }}>
        <DateFilter value={range} onChange={setRange} />
        <GatewayFilter value={gateway} onChange={setGateway} />
        <TextField label="Event type" placeholder="e.g. invoice.paid" value={type} onChange={(e) => setType(e.target.value)} />
        <Select label="Processing" value={processed} onChange={(e) => setProcessed(e.target.value)}>
          <option value="">All events</option>
          <option value="true">Processed</option>
          <option value="false">Failed</option>
        </Select>
        <TenantPicker api={api} onChange={setTenantId} />
      </Box>
      {list.error ? <ErrorBanner title="Could not load payment events" error={list.error} onRetry={list.reload} /> : null}
      <DataTable
        columns={EVENT_COLUMNS}
        items={list.error ? [] : eventRows(list.items, locale)}
        loading={list.loading}
        emptyMessage="No payment events match these filters."
        onRowClick={(item) => setOpen(String(item.id))}
        pagination={{ pageSize: PAGE_SIZE, currentPage: list.page, onPageChange: list.goToPage, hasMore: list.hasMore }}
      />
      <StatusLegend statuses={EVENT_STATUSES} />
      <FocusView title="Payment event" shown={open !== null} setShown={(shown) => !shown && setOpen(null)}>
        {open ? <EventPanel api={api} eventId={open} locale={locale} /> : <Box>{''}</Box>}
      </FocusView>
    </Box>
  );
}

export function EventPanel({ api, eventId, locale }: { api: ApiClient; eventId: string; locale: string }) {
  const event = useRequest(() => api.getEvent(eventId), [api, eventId]);
  if (event.error) return <ErrorBanner title="Could not load the event" error={event.error} onRetry={event.reload} />;
  if (!event.data) return <Loading label="Loading event…" />;
  const e = event.data;
  return (
    <Box css={{ stack: 'y', gap: 'large' }}>
      <Box css={{ stack: 'x', gap: 'small', alignY: 'center' }}>
        <Box css={{ font: 'heading' }}>{e.type}</Box>
        <StatusBadge status={eventStatusKey(e)} />
      </Box>
      <PropertyList>
        <PropertyListItem label="Gateway" value={e.gateway === 'stripe' ? 'Stripe' : 'PayPal'} />
        <PropertyListItem label="Event id" value={e.event_id} />
        <PropertyListItem label="Tenant" value={e.tenant?.name ?? '—'} />
        <PropertyListItem label="Occurred" value={formatDateTime(e.occurred_at, locale)} />
        <PropertyListItem label="Received" value={formatDateTime(e.received_at, locale)} />
        <PropertyListItem label="Processed" value={formatDateTime(e.processed_at, locale)} />
        {e.error ? <PropertyListItem label="Error" value={e.error} /> : null}
      </PropertyList>
      <Accordion>
        <AccordionItem title="Payload">
          <Box css={{ fontFamily: 'monospace', whiteSpace: 'pre-wrap', font: 'caption' }}>
            {JSON.stringify(e.payload, null, 2)}
          </Box>
        </AccordionItem>
      </Accordion>
      <Divider />
      {e.invoice ? (
        <InvoicePanel api={api} invoiceId={e.invoice.id} locale={locale} />
      ) : (
        <Empty>This event is not linked to an invoice.</Empty>
      )}
    </Box>
  );
}
