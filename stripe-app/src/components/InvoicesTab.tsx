// Invoices tab: the page's tenant and date scope plus the tab's own filters (status, gateway,
// search), a cursor-paginated DataTable, the status legend, Retry for failed payments from the
// list, and the invoice's details on row click; with no invoices at all and no filters, the
// first-run state (webhook URLs, import from Stripe) instead. The list is re-read after every
// action (retry, an action in the panel, a finished import), and the page is told so it re-reads
// its cards.
import { useState } from 'react';
import { Box, Button, DataTable, FocusView, Select, TextField } from '@stripe/ui-extension-sdk/ui';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import { showToast } from '@stripe/ui-extension-sdk/utils';
import type { ActionResult, Gateway, InvoiceStatusFilter } from '../api/client';
import { usePagedList } from '../api/hooks';
import { toastText, useAction } from '../api/use-action';
import { invoiceLabel } from '../format';
import { BulkActions } from './BulkActions';
import { ExportButton } from './ExportButton';
import { useReloadOn, type TabProps } from './FilterBar';
import { GatewayFilter } from './filters';
import { FirstRun } from './FirstRun';
import { InvoicePanel } from './InvoicePanel';
import { ErrorBanner } from './states';
import { INVOICE_STATES, StatusLegend } from './status';
import { INVOICE_COLUMNS, canRetry, invoiceRows } from './tables';

export const PAGE_SIZE = 25;

export function InvoicesTab({
  api,
  environment,
  accountId,
  locale,
  scope,
  onChanged,
  version = 0,
}: TabProps & {
  /** for the first-run state's webhook URLs */
  environment: ExtensionContextValue['environment'];
  accountId: string;
}) {
  const [status, setStatus] = useState('');
  const [gateway, setGateway] = useState('');
  const [q, setQ] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [bulkShown, setBulkShown] = useState(false);
  const action = useAction();

  const filters = {
    ...scope,
    status: (status || undefined) as InvoiceStatusFilter | undefined,
    gateway: (gateway || undefined) as Gateway | undefined,
    q: q.trim() || undefined,
  };
  const list = usePagedList((cursor) => api.listInvoices({ ...filters, limit: PAGE_SIZE, cursor }), [api, filters]);
  useReloadOn(version, list.reload);
  const refresh = () => {
    list.reload();
    onChanged();
  };
  const unfiltered = !scope.tenant_id && !scope.from && !scope.to && !filters.status && !filters.gateway && !filters.q;
  const firstRun = unfiltered && !list.loading && !list.error && list.page === 1 && list.items.length === 0;

  const retry = async (id: string) => {
    const inv = list.items.find((i) => i.id === id);
    if (!inv) return;
    const name = invoiceLabel(inv, locale);
    if (!canRetry(inv)) {
      // the row action is on every row (the SDK has no per-row actions); say why nothing happens
      await showToast(toastText(`${name}: nothing to retry`), { type: 'caution' });
      return;
    }
    const paid = (r: ActionResult) => r.invoice.status === 'paid';
    const outcome = await action.run(() => api.invoiceAction(inv.id, 'retry'), {
      success: (r) => (paid(r) ? `${name} paid` : `${name} still unpaid`),
      successType: (r) => (paid(r) ? 'success' : 'caution'),
      failure: `Could not retry ${name}`,
      reload: refresh,
    });
    // a refused payment is recorded on the invoice too: re-read it either way
    if (!outcome.ok) refresh();
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
        <Button size="small" onPress={() => setBulkShown(true)}>
          Bulk actions
        </Button>
        <ExportButton api={api} kind="invoices" filters={filters} locale={locale} />
      </Box>
      {list.error ? <ErrorBanner title="Could not load invoices" error={list.error} onRetry={list.reload} /> : null}
      {action.error ? <ErrorBanner title="Could not retry the payment" error={action.error} /> : null}
      {firstRun ? (
        <FirstRun api={api} environment={environment} accountId={accountId} locale={locale} onImported={refresh} />
      ) : (
        <DataTable
          columns={INVOICE_COLUMNS}
          items={list.error ? [] : invoiceRows(list.items, locale)}
          loading={list.loading}
          emptyMessage="No invoices match these filters."
          onRowClick={(item) => setOpen(String(item.id))}
          rowActions={
            list.items.some(canRetry)
              ? [{ id: 'retry', label: 'Retry payment', onPress: (item) => void retry(String(item.id)) }]
              : undefined
          }
          pagination={{ pageSize: PAGE_SIZE, currentPage: list.page, onPageChange: list.goToPage, hasMore: list.hasMore }}
        />
      )}
      <StatusLegend statuses={INVOICE_STATES} />
      <FocusView title="Invoice" shown={open !== null} setShown={(shown) => !shown && setOpen(null)}>
        {/* an action in the panel changed the ledger: the row and the cards re-read it */}
        {open ? <InvoicePanel api={api} invoiceId={open} locale={locale} onChanged={refresh} /> : <Box>{''}</Box>}
      </FocusView>
      <FocusView title="Bulk actions" shown={bulkShown} setShown={setBulkShown}>
        {bulkShown ? (
          <BulkActions api={api} locale={locale} items={list.error ? [] : list.items} filters={filters} onDone={refresh} />
        ) : (
          <Box>{''}</Box>
        )}
      </FocusView>
    </Box>
  );
}
