// Payment events tab: the page's tenant and date scope plus the tab's own filters (gateway, type,
// processed), a cursor-paginated DataTable, and on row click the event with its invoice.
import { useState } from 'react';
import { Accordion, AccordionItem, Box, DataTable, Divider, FocusView, PropertyList, PropertyListItem, Select, TextField } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient, Gateway } from '../api/client';
import { usePagedList, useRequest } from '../api/hooks';
import { formatDateTime } from '../format';
import { ExportButton } from './ExportButton';
import { useReloadOn, type TabProps } from './FilterBar';
import { GatewayFilter } from './filters';
import { InvoicePanel } from './InvoicePanel';
import { PAGE_SIZE } from './InvoicesTab';
import { Empty, ErrorBanner, Loading } from './states';
import { EVENT_STATUSES, StatusBadge, StatusLegend, eventStatusKey } from './status';
import { EVENT_COLUMNS, eventRows } from './tables';

export function EventsTab({ api, locale, scope, onChanged, version = 0 }: TabProps) {
  const [gateway, setGateway] = useState('');
  const [type, setType] = useState('');
  const [processed, setProcessed] = useState('');
  const [open, setOpen] = useState<string | null>(null);

  const filters = {
    ...scope,
    gateway: (gateway || undefined) as Gateway | undefined,
    type: type.trim() || undefined,
    processed: processed === '' ? undefined : processed === 'true',
  };
  const list = usePagedList((cursor) => api.listEvents({ ...filters, limit: PAGE_SIZE, cursor }), [api, filters]);
  useReloadOn(version, list.reload);

  return (
    <Box css={{ stack: 'y', gap: 'medium' }}>
      <Box css={{ stack: 'x', gap: 'medium', wrap: 'wrap', alignY: 'bottom' }}>
        <GatewayFilter value={gateway} onChange={setGateway} />
        <TextField label="Event type" placeholder="e.g. invoice.paid" value={type} onChange={(e) => setType(e.target.value)} />
        <Select label="Processing" value={processed} onChange={(e) => setProcessed(e.target.value)}>
          <option value="">All events</option>
          <option value="true">Processed</option>
          <option value="false">Failed</option>
        </Select>
        <ExportButton api={api} kind="events" filters={filters} locale={locale} />
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
      <FocusView
        title="Payment event"
        shown={open !== null}
        setShown={(shown) => {
          if (shown) return;
          setOpen(null);
          // the event's invoice may have been acted on in the panel
          list.reload();
          onChanged();
        }}
      >
        {open ? <EventPanel api={api} eventId={open} locale={locale} onChanged={onChanged} /> : <Box>{''}</Box>}
      </FocusView>
    </Box>
  );
}

export function EventPanel({
  api,
  eventId,
  locale,
  onChanged,
}: {
  api: ApiClient;
  eventId: string;
  locale: string;
  /** an action on the event's invoice changed the ledger */
  onChanged?: () => void;
}) {
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
        <InvoicePanel api={api} invoiceId={e.invoice.id} locale={locale} onChanged={onChanged} />
      ) : (
        <Empty>This event is not linked to an invoice.</Empty>
      )}
    </Box>
  );
}
