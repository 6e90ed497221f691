// stripe.dashboard.drawer.default: the revenue cards, what is past due, collections (DSO and
// overdue per currency), the latest failed events, and a link to the full page.
import { Box, Button, ContextView, List, ListItem, PropertyList, PropertyListItem } from '@stripe/ui-extension-sdk/ui';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import { useApiClient, useRequest } from '../api/hooks';
import { CollectionsSummary } from '../components/CollectionsTab';
import { StatCards } from '../components/StatCards';
import { Empty, ErrorBanner, Loading } from '../components/states';
import { formatDateTime, formatMoney } from '../format';

const Drawer = ({ userContext, environment }: ExtensionContextValue) => {
  const api = useApiClient({ userContext, environment });
  const locale = userContext.locale;
  const stats = useRequest(() => api.stats(), [api]);
  const pastDue = useRequest(() => api.pastDue({ limit: 1 }), [api]);
  const failed = useRequest(() => api.listEvents({ processed: false, limit: 5 }), [api]);

  return (
    <ContextView
      title="Tenant billing"
      description={environment.mode === 'test' ? 'Test data' : undefined}
      primaryAction={
        <Button type="primary" href={{ name: 'fullPage' }}>
          Open Payments & Invoices
        </Button>
      }
    >
      <Box css={{ stack: 'y', gap: 'large' }}>
        <Box css={{ stack: 'y', gap: 'small' }}>
          <Box css={{ font: 'subheading' }}>Revenue</Box>
          {stats.error ? (
            <ErrorBanner title="Could not load revenue" error={stats.error} onRetry={stats.reload} />
          ) : !stats.data ? (
            <Loading />
          ) : (
            <StatCards stats={stats.data} locale={locale} columns={2} />
          )}
        </Box>

        <Box css={{ stack: 'y', gap: 'small' }}>
          <Box css={{ font: 'subheading' }}>Past due</Box>
          {pastDue.error ? (
            <ErrorBanner title="Could not load past-due invoices" error={pastDue.error} onRetry={pastDue.reload} />
          ) : !pastDue.data ? (
            <Loading />
          ) : pastDue.data.currencies.length === 0 ? (
            <Empty>No past-due invoices.</Empty>
          ) : (
            <PropertyList>
              {pastDue.data.currencies.map((c) => (
                <PropertyListItem
                  key={c.currency}
                  label={c.currency.toUpperCase()}
                  value={`${c.total.count} ${c.total.count === 1 ? 'invoice' : 'invoices'} · ${formatMoney(c.total.amount, c.currency, locale)}`}
                />
              ))}
            </PropertyList>
          )}
        </Box>

        <Box css={{ stack: 'y', gap: 'small' }}>
          <Box css={{ font: 'subheading' }}>Collections</Box>
          <CollectionsSummary api={api} locale={locale} />
        </Box>

        <Box css={{ stack: 'y', gap: 'small' }}>
          <Box css={{ font: 'subheading' }}>Latest failed events</Box>
          {failed.error ? (
            <ErrorBanner title="Could not load events" error={failed.error} onRetry={failed.reload} />
          ) : !failed.data ? (
            <Loading />
          ) : failed.data.data.length === 0 ? (
            <Empty>No failed events.</Empty>
          ) : (
            <List>
              {failed.data.data.map((e) => (
                <ListItem
                  key={e.id}
                  id={e.id}
                  title={`${e.type} (${e.gateway === 'stripe' ? 'Stripe' : 'PayPal'})`}
                  secondaryTitle={`${formatDateTime(e.occurred_at, locale)}${e.error ? ` · ${e.error}` : ''}`}
                />
              ))}
            </List>
          )}
        </Box>
      </Box>
    </ContextView>
  );
};

export default Drawer;
