// The full page's one filter bar: a tenant and a date range that scope the cards, the chart and
// every tab (a tab adds its own narrower filters, never a second tenant or date).
import { useEffect } from 'react';
import { Box } from '@stripe/ui-extension-sdk/ui';
import type { DateRangePickerValue } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient } from '../api/client';
import { rangeToFilter } from '../date-range';
import { DateFilter } from './filters';
import { TenantPicker } from './TenantPicker';

/** What the bar selects, as API query parameters (from inclusive, to exclusive). */
export interface PageScope {
  tenant_id?: string;
  from?: string;
  to?: string;
}

/** What every list tab of the full page receives from it. */
export interface TabProps {
  api: ApiClient;
  locale: string;
  scope: PageScope;
  /** something the page shows elsewhere (cards, chart) may have changed */
  onChanged: () => void;
  /** changes when the page changed the ledger itself: re-read the list */
  version?: number;
}

export interface FilterBarValue {
  tenant_id: string | null;
  range: DateRangePickerValue;
}

/** The page opens on every invoice ever billed: an old unpaid invoice must not hide behind a default range. */
export const DEFAULT_FILTERS: FilterBarValue = { tenant_id: null, range: { range: 'allTime' } };

export function scopeOf(value: FilterBarValue): PageScope {
  return { tenant_id: value.tenant_id ?? undefined, ...rangeToFilter(value.range.range) };
}

export function FilterBar({
  api,
  value,
  onChange,
}: {
  api: ApiClient;
  value: FilterBarValue;
  onChange: (value: FilterBarValue) => void;
}) {
  return (
    <Box css={{ stack: 'x', gap: 'medium', wrap: 'wrap', alignY: 'bottom' }}>
      <TenantPicker api={api} label="Tenant" onChange={(tenant_id) => onChange({ ...value, tenant_id })} />
      <DateFilter value={value.range} onChange={(range) => onChange({ ...value, range })} />
    </Box>
  );
}

/** Re-reads a tab's list whenever the page's `version` moves past its first value. */
export function useReloadOn(version: number, reload: () => void) {
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
}
