// stripe.dashboard.fullpage "Payments & Invoices": one filter bar (tenant, date range) scoping
// the revenue cards per currency, the monthly revenue chart and the Invoices, Payment events,
// Past due and Collections tabs; the Tenants tab manages tenants. Whatever a tab changes (an action in an invoice's
// panel, a retried payment, a finished first import) makes the cards re-read too. The one-time
// invoice FocusView opens from the page action; what it creates re-reads the cards and the list.
import { useCallback, useState } from 'react';
import { Box, FullPageView, Tab, TabList, TabPanel, TabPanels, Tabs } from '@stripe/ui-extension-sdk/ui';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import { useApiClient, useRequest } from '../api/hooks';
import { CollectionsTab } from '../components/CollectionsTab';
import { EventsTab } from '../components/EventsTab';
import { DEFAULT_FILTERS, FilterBar, scopeOf, type FilterBarValue } from '../components/FilterBar';
import { InvoicesTab } from '../components/InvoicesTab';
import { OneTimeInvoice } from '../components/OneTimeInvoice';
import { PastDueTab } from '../components/PastDueTab';
import { RevenueChart, StatCards } from '../components/StatCards';
import { ErrorBanner, Loading } from '../components/states';
import { TenantsTab } from '../components/TenantsTab';

const PaymentsAndInvoices = ({ userContext, environment }: ExtensionContextValue) => {
  const api = useApiClient({ userContext, environment });
  const locale = userContext.locale;
  const [tab, setTab] = useState('invoices');
  const [oneTimeShown, setOneTimeShown] = useState(false);
  const [filters, setFilters] = useState<FilterBarValue>(DEFAULT_FILTERS);
  const scope = scopeOf(filters);
  const stats = useRequest(() => api.stats(scope), [api, scope.tenant_id, scope.from, scope.to]);
  const { reload: reloadStats } = stats;
  const onChanged = useCallback(() => reloadStats(), [reloadStats]);
  // bumped by what the page itself changes (one-time invoices), so the open tab re-reads its list
  const [version, setVersion] = useState(0);
  const onCreated = useCallback(() => {
    onChanged();
    setVersion((v) => v + 1);
  }, [onChanged]);
  const tabProps = { api, locale, scope, onChanged, version };

  return (
    <FullPageView pageAction={{ label: 'Create one-time invoice', onPress: () => setOneTimeShown(true) }}>
      <Box css={{ stack: 'y', gap: 'xlarge' }}>
        {environment.mode === 'test' ? <Box css={{ color: 'attention' }}>Showing test-mode data.</Box> : null}
        <Box css={{ stack: 'y', gap: 'medium' }}>
          <FilterBar api={api} value={filters} onChange={setFilters} />
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
            <Tab id="collections">Collections</Tab>
            <Tab id="tenants">Tenants</Tab>
          </TabList>
          <TabPanels>
            <TabPanel id="invoices">{tab === 'invoices' ? (
                <InvoicesTab {...tabProps} environment={environment} accountId={userContext.account.id} />
              ) : <Box>{''}</Box>}</TabPanel>
            <TabPanel id="events">{tab === 'events' ? <EventsTab {...tabProps} /> : <Box>{''}</Box>}</TabPanel>
            <TabPanel id="past-due">{tab === 'past-due' ? <PastDueTab {...tabProps} /> : <Box>{''}</Box>}</TabPanel>
            <TabPanel id="collections">
              {tab === 'collections' ? <CollectionsTab api={api} locale={locale} scope={scope} version={version} /> : <Box>{''}</Box>}
            </TabPanel>
            <TabPanel id="tenants">
              {tab === 'tenants' ? (
                <Box css={{ stack: 'y', gap: 'small' }}>
                  {scope.tenant_id || scope.from || scope.to ? (
                    <Box css={{ font: 'caption', color: 'secondary' }}>Every tenant is listed; the filters above do not apply here.</Box>
                  ) : null}
                  <TenantsTab api={api} locale={locale} />
                </Box>
              ) : (
                <Box>{''}</Box>
              )}
            </TabPanel>
          </TabPanels>
        </Tabs>
      </Box>
      <OneTimeInvoice
        api={api}
        locale={locale}
        shown={oneTimeShown}
        setShown={setOneTimeShown}
        // new invoices count in the cards and the list, as soon as they are created
        onCreated={onCreated}
      />
    </FullPageView>
  );
};

export default PaymentsAndInvoices;
