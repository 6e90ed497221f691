// Invoices tab: the page's tenant and date scope plus the tab's own filters (status, gateway,
// search), a cursor-paginated DataTable, the status legend, Retry for failed payments from the
// list, and the invoice's details on row click. The list is re-read after every action and when
// the details close, and the page is told so it re-reads its cards.
import { useState } from 'react';
import { Box, DataTable, FocusView, Select, TextField } from '@stripe/ui-extension-sdk/ui';
import { showToast, useRefreshDashboardData } from '@stripe/ui-extension-sdk/utils';
import type { ApiClient, Gateway, InvoiceResponse, InvoiceStatusFilter } from '../api/client';
import { usePagedList } from '../api/hooks';
import { useReloadOn, type PageScope } from './FilterBar';
import { GatewayFilter } from './filters';
import { InvoicePanel } from './InvoicePanel';
import { ErrorBanner } from './states';
import { StatusLegend } from './status';
import { INVOICE_COLUMNS, INVOICE_STATES, canRetry, invoiceLabel, invoiceRows, type InvoiceItem } from './tables';

export const PAGE_SIZE = 25;

/** The Dashboard refuses toasts over 30 characters (Stripe's full-page example truncates likewise). */
const toastText = (m: string) => (m.length <= 30 ? m : `${m.slice(0, 29)}…`);

/** Invoice meanings where the shared legend's wording is about events or predates the Failed state. */
export const INVOICE_MEANINGS: Record<string, string> = {
  past_due: 'open after its due date (plus grace days)',
  failed: 'payment attempted but did not go through; retry it from the list',
};

export function InvoicesTab({
  api,
  locale,
  scope,
  onChanged,
  version = 0,
}: {
  api: ApiClient;
  locale: string;
  scope: PageScope;
  /** something the page shows elsewhere (cards, chart) may have changed */
  onChanged: () => void;
  /** changes when the page changed the ledger itself: re-read the list */
  version?: number;
}) {
  const [status, setStatus] = useState('');
  const [gateway, setGateway] = useState('');
  const [q, setQ] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [actionError, setActionError] = useState<{ title: string; error: Error } | null>(null);
  const refreshDashboard = useRefreshDashboardData();

  const filters = {
    ...scope,
    status: (status || undefined) as InvoiceStatusFilter | undefined,
    gateway: (gateway || undefined) as Gateway | undefined,
    q: q.trim() || undefined,
  };
  const list = usePagedList((cursor) => api.listInvoices({ ...filters, limit: PAGE_SIZE, cursor }), [api, filters]);
  useReloadOn(version, list.reload);
  const items = list.items as (InvoiceResponse & InvoiceItem)[];
  const refresh = () => {
    list.reload();
    onChanged();
  };

  const retry = async (id: string) => {
    const inv = items.find((i) => i.id === id);
    if (!inv) return;
    const name = invoiceLabel(inv, locale);
    if (!canRetry(inv)) {
      // the row action is on every row (the SDK has no per-row actions); say why nothing happens
      await showToast(toastText(`${name}: nothing to retry`), { type: 'caution' });
      return;
    }
    setActionError(null);
    const toast = await showToast(toastText(`Retrying ${name}…`), { type: 'pending' });
    try {
      const { invoice: updated } = await api.invoiceAction(inv.id, 'retry');
      toast.update(toastText(updated.status === 'paid' ? `${name} paid` : `${name} still unpaid`), {
        type: updated.status === 'paid' ? 'success' : 'caution',
      });
      // Stripe's own pages show the same invoice: let the Dashboard re-read it too
      await refreshDashboard();
    } catch (err) {
      toast.update('Retry failed', { type: 'caution' });
      setActionError({ title: `Could not retry ${name}`, error: err as Error });
    } finally {
      refresh();
    }
  };

  return (
    <Box css={{ stack: 'y', gap: 'medium' }}>
      <Box css={{ stack: 'x', gap: 'medium', wrap: 'wrap', alignY: 'bottom' }}>
        <Select label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">All statuses</option>
          <option value="draft">Draft</option>
          <option value="open">Open</option>
          <option value="past_due">Past due</option>
          <option value="failed">Failed</option>
          <option value="paid">Paid</option>
          <option value="uncollectible">Uncollectible</option>
          <option value="void">Void</option>
        </Select>
        <GatewayFilter value={gateway} onChange={setGateway} />
        <TextField label="Search" placeholder="Number, invoice or customer id" value={q} onChange={(e) => setQ(e.target.value)} />
      </Box>
      {list.error ? <ErrorBanner title="Could not load invoices" error={list.error} onRetry={list.reload} /> : null}
      {actionError ? <ErrorBanner title={actionError.title} error={actionError.error} /> : null}
      <DataTable
        columns={INVOICE_COLUMNS}
        items={list.error ? [] : invoiceRows(items, locale)}
        loading={list.loading}
        emptyMessage="No invoices match these filters."
        onRowClick={(item) => setOpen(String(item.id))}
        rowActions={
          items.some(canRetry)
            ? [{ id: 'retry', label: 'Retry payment', onPress: (item) => void retry(String(item.id)) }]
            : undefined
        }
        pagination={{ pageSize: PAGE_SIZE, currentPage: list.page, onPageChange: list.goToPage, hasMore: list.hasMore }}
      />
      <StatusLegend statuses={INVOICE_STATES} meanings={INVOICE_MEANINGS} />
      <FocusView
        title="Invoice"
        shown={open !== null}
        setShown={(shown) => {
          if (shown) return;
          setOpen(null);
          // an action in the panel changed the ledger: the row and the cards re-read it
          refresh();
        }}
      >
        {open ? <InvoicePanel api={api} invoiceId={open} locale={locale} /> : <Box>{''}</Box>}
      </FocusView>
    </Box>
  );
}
