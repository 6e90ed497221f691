// Past due tab: aging buckets per currency and the past-due invoices, oldest debt first as the API
// orders them. Scoped by the page's tenant; past due is as of today, so the date range does not apply
// (the tab says so).
import { useState } from 'react';
import { Box, DataTable, FocusView } from '@stripe/ui-extension-sdk/ui';
import type { PastDueResponse } from '../api/client';
type AgingBucket = keyof PastDueResponse['currencies'][number]['buckets'];
import { usePagedList } from '../api/hooks';
import { formatMoney } from '../format';
import { InvoicePanel } from './InvoicePanel';
import { PAGE_SIZE } from './InvoicesTab';
import { Empty, ErrorBanner } from './states';
import { ExportButton } from './ExportButton';
import { useReloadOn, type TabProps } from './FilterBar';
import { PAST_DUE_COLUMNS, pastDueRows } from './tables';

const BUCKETS: { key: AgingBucket; label: string }[] = [
  { key: '1-30', label: '1–30 days' },
  { key: '31-60', label: '31–60 days' },
  { key: '61-90', label: '61–90 days' },
  { key: '90+', label: 'Over 90 days' },
];

export function AgingBuckets({ currencies, locale }: { currencies: PastDueResponse['currencies']; locale: string }) {
  if (currencies.length === 0) return <Empty>Nothing is past due.</Empty>;
  return (
    <Box css={{ stack: 'y', gap: 'medium' }}>
      {currencies.map((c) => (
        <Box key={c.currency} css={{ stack: 'y', gap: 'small' }}>
          <Box css={{ font: 'subheading' }}>
            {c.currency.toUpperCase()} · {formatMoney(c.total.amount, c.currency, locale)} in {c.total.count}{' '}
            {c.total.count === 1 ? 'invoice' : 'invoices'}
          </Box>
          <Box css={{ display: 'grid', gridColumns: 4, gap: 'small' }}>
            {BUCKETS.map((b) => (
              <Box key={b.key} css={{ stack: 'y', gap: 'xsmall', padding: 'medium', keyline: 'neutral', borderRadius: 'medium' }}>
                <Box css={{ font: 'caption', color: 'secondary' }}>{b.label}</Box>
                <Box css={{ font: 'heading' }}>{formatMoney(c.buckets[b.key].amount, c.currency, locale)}</Box>
                <Box css={{ font: 'caption' }}>
                  {c.buckets[b.key].count} {c.buckets[b.key].count === 1 ? 'invoice' : 'invoices'}
                </Box>
              </Box>
            ))}
          </Box>
        </Box>
      ))}
    </Box>
  );
}

export function PastDueTab({ api, locale, scope, onChanged, version = 0 }: TabProps) {
  const [open, setOpen] = useState<string | null>(null);
  const tenantId = scope.tenant_id;
  const list = usePagedList((cursor) => api.pastDue({ tenant_id: tenantId, limit: PAGE_SIZE, cursor }), [api, tenantId]);
  useReloadOn(version, list.reload);
  const summary = list.data as PastDueResponse | undefined;

  if (list.error) return <ErrorBanner title="Could not load past-due invoices" error={list.error} onRetry={list.reload} />;
  return (
    <Box css={{ stack: 'y', gap: 'medium' }}>
      {scope.from || scope.to ? (
        <Box css={{ font: 'caption', color: 'secondary' }}>Past due as of today; the date range does not apply here.</Box>
      ) : null}
      <ExportButton api={api} kind="past_due" filters={{ tenant_id: tenantId }} locale={locale} />
      {summary ? <AgingBuckets currencies={summary.currencies} locale={locale} /> : null}
      <DataTable
        columns={PAST_DUE_COLUMNS}
        items={pastDueRows(list.items, locale)}
        loading={list.loading}
        emptyMessage="No past-due invoices."
        onRowClick={(item) => setOpen(String(item.id))}
        pagination={{ pageSize: PAGE_SIZE, currentPage: list.page, onPageChange: list.goToPage, hasMore: list.hasMore }}
      />
      <FocusView
        title="Invoice"
        shown={open !== null}
        setShown={(shown) => {
          if (shown) return;
          setOpen(null);
          list.reload();
          onChanged();
        }}
      >
        {open ? <InvoicePanel api={api} invoiceId={open} locale={locale} /> : <Box>{''}</Box>}
      </FocusView>
    </Box>
  );
}
