// The four revenue cards, once per currency (amounts of different currencies are never added).
import { BarChart, Box } from '@stripe/ui-extension-sdk/ui';
import type { CurrencyFormat } from '@stripe/ui-extension-sdk/ui';
import type { StatsResponse } from '../api/client';
import { formatMonth, formatMoney, toMajorUnits } from '../format';
import { Empty } from './states';

function Card({ label, value }: { label: string; value: string }) {
  return (
    <Box css={{ stack: 'y', gap: 'xsmall', padding: 'medium', borderRadius: 'medium', keyline: 'neutral' }}>
      <Box css={{ font: 'caption', color: 'secondary' }}>{label}</Box>
      <Box css={{ font: 'heading' }}>{value}</Box>
    </Box>
  );
}

/** `columns`: 4 on the full page; 2 in narrow viewports (the drawer) so amounts fit their cards. */
export function StatCards({ stats, locale, columns = 4 }: { stats: StatsResponse; locale: string; columns?: 2 | 4 }) {
  if (stats.currencies.length === 0) return <Empty>No invoices in this period.</Empty>;
  return (
    <Box css={{ stack: 'y', gap: 'medium' }}>
      {stats.currencies.map((c) => (
        <Box key={c.currency} css={{ stack: 'y', gap: 'small' }}>
          <Box css={{ font: 'subheading' }}>{c.currency.toUpperCase()}</Box>
          <Box css={{ display: 'grid', gridColumns: columns, gap: 'small' }}>
            <Card label="Total revenue" value={formatMoney(c.total_revenue, c.currency, locale)} />
            <Card label="Total refunded" value={formatMoney(c.total_refunded, c.currency, locale)} />
            <Card label="Pending amount" value={formatMoney(c.pending_amount, c.currency, locale)} />
            <Card label="Invoices" value={new Intl.NumberFormat(locale).format(c.invoice_count)} />
          </Box>
        </Box>
      ))}
    </Box>
  );
}

type ChartCurrency = CurrencyFormat['currency'];

/**
 * Monthly revenue, one chart per currency (their scales differ, and they are never summed). Bars
 * are in major units; the y channel carries the currency so axis ticks and the hover tooltip read
 * as money ("$1,500", not "1.5K"), with whole-unit ticks on a nice scale; every month of the window
 * is a bar (the API fills empty months with 0).
 */
export function RevenueChart({ stats, locale }: { stats: StatsResponse; locale: string }) {
  const currencies = [...new Set(stats.monthly.map((m) => m.currency))];
  if (currencies.length === 0) return <Empty>No paid invoices to chart yet.</Empty>;
  return (
    <Box css={{ stack: 'y', gap: 'medium' }}>
      {currencies.map((currency) => {
        const code = currency.toUpperCase() as ChartCurrency;
        return (
          <Box key={currency} css={{ stack: 'y', gap: 'small' }}>
            <Box css={{ font: 'subheading' }}>Monthly revenue · {currency.toUpperCase()}</Box>
            <BarChart
              data={stats.monthly
                .filter((m) => m.currency === currency)
                .map((m) => ({ month: formatMonth(m.month, locale), revenue: toMajorUnits(m.revenue, currency) }))}
              x={{ value: 'month', label: 'Month' }}
              y={{
                value: 'revenue',
                label: `Revenue (${code})`,
                format: { currency: code },
                tickFormat: { currency: code, fractionalDigits: 0 },
                nice: true,
                zero: true,
                ticks: 4,
              }}
              axis="both"
              grid="y"
              tooltip
            />
          </Box>
        );
      })}
    </Box>
  );
}
