// Collections tab: per currency (never summed across currencies) DSO, overdue amount and ratio,
// average days to pay, what recovered failed payments (by cause), and the tenants with most
// overdue by aging bucket. The page's tenant and date range scope it; an "all time" range leaves
// the window to the backend (the last 30 days), and the tab says which window it shows.
// CollectionsSummary is the drawer's short form (DSO and overdue per currency).
import { Box, PropertyList, PropertyListItem, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient, CollectionsResponse } from '../api/client';
import { useRequest } from '../api/hooks';
import { formatDate, formatMoney } from '../format';
import { useReloadOn, type PageScope } from './FilterBar';
import { Empty, ErrorBanner, Loading } from './states';

type CurrencyFigures = CollectionsResponse['currencies'][number];
type Cause = CurrencyFigures['recovered'][number]['cause'];
type Bucket = keyof CurrencyFigures['tenants'][number]['buckets'];

export const CAUSE_LABELS: Record<Cause, string> = {
  automatic_retry: 'Automatic retry',
  admin_retry: 'Admin retry',
  reminder: 'Reminder',
  paypal: 'PayPal',
  outside: 'Paid outside',
};

const BUCKETS: { key: Bucket; label: string }[] = [
  { key: '1-30', label: '1–30 days' },
  { key: '31-60', label: '31–60 days' },
  { key: '61-90', label: '61–90 days' },
  { key: '90+', label: 'Over 90 days' },
];

export const formatDays = (days: number | null) => (days === null ? '—' : `${days.toFixed(1)} days`);
export const formatRatio = (ratio: number | null) => (ratio === null ? '—' : `${(ratio * 100).toFixed(1)}%`);

function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <Box css={{ stack: 'y', gap: 'xsmall', padding: 'medium', keyline: 'neutral', borderRadius: 'medium' }}>
      <Box css={{ font: 'caption', color: 'secondary' }}>{label}</Box>
      <Box css={{ font: 'heading' }}>{value}</Box>
      {note ? <Box css={{ font: 'caption', color: 'secondary' }}>{note}</Box> : null}
    </Box>
  );
}

function CurrencySection({ c, locale }: { c: CurrencyFigures; locale: string }) {
  const money = (amount: number) => formatMoney(amount, c.currency, locale);
  const recoveredTotal = c.recovered.reduce((n, r) => n + r.count, 0);
  return (
    <Box css={{ stack: 'y', gap: 'medium' }}>
      <Box css={{ font: 'subheading' }}>{c.currency.toUpperCase()}</Box>
      <Box css={{ display: 'grid', gridColumns: 4, gap: 'small' }}>
        <Figure label="DSO" value={formatDays(c.dso_days)} note={`${money(c.receivables)} receivable`} />
        <Figure label="Overdue" value={money(c.overdue_amount)} note={`of ${money(c.open_amount)} open`} />
        <Figure label="Overdue ratio" value={formatRatio(c.overdue_ratio)} />
        <Figure
          label="Average days to pay"
          value={formatDays(c.average_days_to_pay)}
          note={`${c.paid_count} ${c.paid_count === 1 ? 'invoice' : 'invoices'} paid`}
        />
      </Box>
      <Box css={{ stack: 'y', gap: 'small' }}>
        <Box css={{ font: 'bodyEmphasized' }}>Recovered after a failed payment</Box>
        {recoveredTotal === 0 ? (
          <Box css={{ color: 'secondary' }}>No failed payment was recovered in this window.</Box>
        ) : (
          <Table>
            <TableHead>
              <TableRow>
                <TableHeaderCell>Cause</TableHeaderCell>
                <TableHeaderCell>Invoices</TableHeaderCell>
                <TableHeaderCell>Amount</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {c.recovered.map((r) => (
                <TableRow key={r.cause}>
                  <TableCell>{CAUSE_LABELS[r.cause]}</TableCell>
                  <TableCell>{String(r.count)}</TableCell>
                  <TableCell>{money(r.amount)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Box>
      <Box css={{ stack: 'y', gap: 'small' }}>
        <Box css={{ font: 'bodyEmphasized' }}>Tenants with most overdue</Box>
        {c.tenants.length === 0 ? (
          <Box css={{ color: 'secondary' }}>Nothing is overdue in {c.currency.toUpperCase()}.</Box>
        ) : (
          <Table>
            <TableHead>
              <TableRow>
                <TableHeaderCell>Tenant</TableHeaderCell>
                {BUCKETS.map((b) => (
                  <TableHeaderCell key={b.key}>{b.label}</TableHeaderCell>
                ))}
                <TableHeaderCell>Overdue</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {c.tenants.map((t) => (
                <TableRow key={t.tenant?.id ?? 'none'}>
                  <TableCell>{t.tenant?.name ?? 'No tenant'}</TableCell>
                  {BUCKETS.map((b) => (
                    <TableCell key={b.key}>{t.buckets[b.key].count === 0 ? '—' : money(t.buckets[b.key].amount)}</TableCell>
                  ))}
                  <TableCell>{money(t.overdue_amount)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Box>
    </Box>
  );
}

export function CollectionsTab({
  api,
  locale,
  scope,
  version = 0,
}: {
  api: ApiClient;
  locale: string;
  scope: PageScope;
  /** changes when the page changed the ledger itself: re-read */
  version?: number;
}) {
  const figures = useRequest(() => api.collections(scope), [api, scope.tenant_id, scope.from, scope.to]);
  useReloadOn(version, figures.reload);
  if (figures.error) return <ErrorBanner title="Could not load collections" error={figures.error} onRetry={figures.reload} />;
  if (!figures.data) return <Loading label="Loading collections…" />;
  const d = figures.data;
  return (
    <Box css={{ stack: 'y', gap: 'large' }}>
      <Box css={{ font: 'caption', color: 'secondary' }}>
        {/* the backend's `to` is exclusive: the window's last day is the day before */}
        Window {formatDate(d.from, locale)} – {formatDate(new Date(Date.parse(d.to) - 1).toISOString(), locale)} (
        {d.window_days} days){scope.from ? '' : ', the last 30 days when no date range is chosen'}. Overdue as of{' '}
        {formatDate(d.as_of, locale)}.
      </Box>
      {d.currencies.length === 0 ? (
        <Empty>No invoices in this window.</Empty>
      ) : (
        d.currencies.map((c) => <CurrencySection key={c.currency} c={c} locale={locale} />)
      )}
    </Box>
  );
}

/** The drawer's collections: DSO and overdue per currency over the last 30 days. */
export function CollectionsSummary({ api, locale }: { api: ApiClient; locale: string }) {
  const figures = useRequest(() => api.collections(), [api]);
  if (figures.error) return <ErrorBanner title="Could not load collections" error={figures.error} onRetry={figures.reload} />;
  if (!figures.data) return <Loading />;
  if (figures.data.currencies.length === 0) return <Empty>No invoices in the last 30 days.</Empty>;
  return (
    <PropertyList>
      {figures.data.currencies.map((c) => (
        <PropertyListItem
          key={c.currency}
          label={c.currency.toUpperCase()}
          value={`DSO ${formatDays(c.dso_days)} · ${formatMoney(c.overdue_amount, c.currency, locale)} overdue (${formatRatio(c.overdue_ratio)})`}
        />
      ))}
    </PropertyList>
  );
}
