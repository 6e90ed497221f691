// A tenant's billing at a glance: what it owes per currency (open and past due, never summed
// across currencies) and its invoices across Stripe and PayPal. Shown in the tenant panel of the
// full page and on Stripe's customer page.
import { useEffect, useRef } from 'react';
import { Box, DataTable, PropertyList, PropertyListItem } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient } from '../api/client';
import { usePagedList, useRequest } from '../api/hooks';
import { formatMoney } from '../format';
import { ErrorBanner, Loading } from './states';
import { INVOICE_COLUMNS, invoiceRows } from './tables';

const PAGE = 10;

/** Outstanding (open) and past-due amounts of a tenant per currency. */
export function useTenantBalance(api: ApiClient, tenantId: string) {
  return useRequest(async () => {
    const [stats, pastDue] = await Promise.all([api.stats({ tenant_id: tenantId }), api.pastDue({ tenant_id: tenantId, limit: 1 })]);
    const overdue = new Map(pastDue.currencies.map((c) => [c.currency, c.total.amount]));
    return stats.currencies
      .filter((c) => c.pending_amount !== 0 || (overdue.get(c.currency) ?? 0) !== 0)
      .map((c) => ({ currency: c.currency, outstanding: c.pending_amount, past_due: overdue.get(c.currency) ?? 0 }));
  }, [api, tenantId]);
}

export function TenantBilling({
  api,
  tenantId,
  locale,
  onOpenInvoice,
  version = 0,
}: {
  api: ApiClient;
  tenantId: string;
  locale: string;
  /** row click; without it the rows are read-only */
  onOpenInvoice?: (invoiceId: string) => void;
  /** bump to re-read (after a link or an invoice action changed what the tenant owns) */
  version?: number;
}) {
  const balance = useTenantBalance(api, tenantId);
  const invoices = usePagedList((cursor) => api.listInvoices({ tenant_id: tenantId, limit: PAGE, cursor }), [tenantId, version]);
  const { reload } = balance;
  // a new version re-reads the balance too (the list restarts through its dependency)
  useVersion(version, reload);

  return (
    <Box css={{ stack: 'y', gap: 'large' }}>
      <Box css={{ stack: 'y', gap: 'small' }}>
        <Box css={{ font: 'subheading' }}>Outstanding balance</Box>
        {balance.error ? (
          <ErrorBanner title="Could not load the balance" error={balance.error} onRetry={balance.reload} />
        ) : !balance.data ? (
          <Loading />
        ) : balance.data.length === 0 ? (
          <Box css={{ color: 'secondary' }}>Nothing outstanding.</Box>
        ) : (
          <PropertyList>
            {balance.data.map((c) => (
              <PropertyListItem
                key={c.currency}
                label={c.currency.toUpperCase()}
                value={
                  c.past_due > 0
                    ? `${formatMoney(c.outstanding, c.currency, locale)} (${formatMoney(c.past_due, c.currency, locale)} past due)`
                    : formatMoney(c.outstanding, c.currency, locale)
                }
              />
            ))}
          </PropertyList>
        )}
      </Box>
      <Box css={{ stack: 'y', gap: 'small' }}>
        <Box css={{ font: 'subheading' }}>Invoices (Stripe and PayPal)</Box>
        {invoices.error ? (
          <ErrorBanner title="Could not load invoices" error={invoices.error} onRetry={invoices.reload} />
        ) : (
          <DataTable
            columns={INVOICE_COLUMNS.filter((c) => c.key !== 'tenant')}
            items={invoiceRows(invoices.items, locale)}
            loading={invoices.loading}
            emptyMessage="This tenant has no invoices yet."
            onRowClick={onOpenInvoice ? (item) => onOpenInvoice(String(item.id)) : undefined}
            pagination={{ pageSize: PAGE, currentPage: invoices.page, onPageChange: invoices.goToPage, hasMore: invoices.hasMore }}
          />
        )}
      </Box>
    </Box>
  );
}

/** Calls reload when version changes (not on mount: the request has just run). */
function useVersion(version: number, reload: () => void) {
  const seen = useRef(version);
  useEffect(() => {
    if (seen.current !== version) {
      seen.current = version;
      reload();
    }
  }, [version, reload]);
}
