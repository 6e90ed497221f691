// stripe.dashboard.fullpage "Payments & Invoices": revenue cards per currency (tenant and date
// filter), the monthly revenue chart, and the Invoices, Payment events, Past due and Tenants tabs.
// The one-time invoice FocusView opens from the page action.
import { useState } from 'react';
import { Box, FullPageView, Tab, TabList, TabPanel, TabPanels, Tabs } from '@stripe/ui-extension-sdk/ui';
import type { DateRangePickerValue } from '@stripe/ui-extension-sdk/ui';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import { useApiClient, useRequest } from '../api/hooks';
import { rangeToFilter } from '../date-range';
import { EventsTab } from '../components/EventsTab';
import { DateFilter } from '../components/filters';
import { InvoicesTab } from '../components/InvoicesTab';
import { OneTimeInvoice } from '../components/OneTimeInvoice';
import { PastDueTab } from '../components/PastDueTab';
import { RevenueChart, StatCards } from '../components/StatCards';
import { ErrorBanner, Loading } from '../components/states';
import { TenantPicker } from '../components/TenantPicker';
import { TenantsTab } from '../components/TenantsTab';

const PaymentsAndInvoices = ({ userContext, environment }: ExtensionContextValue) => {
  const api = useApiClient({ userContext, environment });
  const locale = userContext.locale;
  const [tab, setTab] = useState('invoices');
  const [oneTimeShown, setOneTimeShown] = useState(false);
  const [tenantId, setTenantId] = useState<string | null>(null);
  const [range, setRange] = useState<DateRangePickerValue>({ range: 'last12Months' });
  const dates = rangeToFilter(range.range);
  const stats = useRequest(
    () => api.stats({ tenant_id: tenantId ?? undefined, ...dates }),
    [api, tenantId, dates.from, dates.to],
  );

  return (
    <FullPageView pageAction={{ label: 'Create one-time invoice', onPress: () => setOneTimeShown(true) }}>
      <Box css={{ stack: 'y', gap: 'xlarge' }}>
        {environment.mode === 'test' ? <Box css={{ color: 'attention' }}>Showing test-mode data.</Box> : null}
        <Box css={{ stack: 'y', gap: 'medium' }}>
          <Box css={{ stack: 'x', gap: 'medium', wrap: 'wrap', alignY: 'bottom' }}>
            <TenantPicker api={api} label="Tenant" onChange={setTenantId} />
            <DateFilter value={range} onChange={setRange} />
          </Box>
          {stats.error ? (
            <ErrorBanner title="Could not load revenue" error={stats.error} onRetry={stats.reload} />
          ) : !stats.data ? (
            <Loading label="Loading revenue…" />
          ) : (
            <>
              <StatCards stats={stats.data} locale={locale} />
              <RevenueChart stats={stats.data} locale={locale} />
            </>
          )}
        </Box>

        <Tabs selectedKey={tab} onSelectionChange={(key) => setTab(String(key))}>
          <TabList>
            <Tab id="invoices">Invoices</Tab>
            <Tab id="events">Payment events</Tab>
            <Tab id="past-due">Past due</Tab>
            <Tab id="tenants">Tenants</Tab>
          </TabList>
          <TabPanels>
            <TabPanel id="invoices">{tab === 'invoices' ? <InvoicesTab api={api} locale={locale} /> : <Box>{''}</Box>}</TabPanel>
            <TabPanel id="events">{tab === 'events' ? <EventsTab api={api} locale={locale} /> : <Box>{''}</Box>}</TabPanel>
            <TabPanel id="past-due">{tab === 'past-due' ? <PastDueTab api={api} locale={locale} /> : <Box>{''}</Box>}</TabPanel>
            <TabPanel id="tenants">{tab === 'tenants' ? <TenantsTab api={api} locale={locale} /> : <Box>{''}</Box>}</TabPanel>
          </TabPanels>
        </Tabs>
      </Box>
      <OneTimeInvoice api={api} locale={locale} shown={oneTimeShown} setShown={setOneTimeShown} />
    </FullPageView>
  );
};

export default PaymentsAndInvoices;
