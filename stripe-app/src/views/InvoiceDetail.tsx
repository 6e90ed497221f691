// stripe.dashboard.invoice.detail: the ledger's view of the Stripe invoice on screen (tenant,
// state, line items, actions, history). The Dashboard gives the Stripe id (in_…), so the ledger
// invoice is found by its external id; an action also refreshes Stripe's own page around the app.
import { Box, ContextView, Link } from '@stripe/ui-extension-sdk/ui';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import { useApiClient, useRequest } from '../api/hooks';
import { InvoicePanel } from '../components/InvoicePanel';
import { Empty, ErrorBanner, Loading } from '../components/states';
import { invoiceLabel } from '../format';

const InvoiceDetail = ({ userContext, environment }: ExtensionContextValue) => {
  const api = useApiClient({ userContext, environment });
  const stripeId = environment.objectContext?.id ?? '';
  const found = useRequest(() => api.findInvoiceByExternalId(stripeId), [api, stripeId]);

  let body: React.ReactNode;
  if (found.error) body = <ErrorBanner title="Could not load the invoice" error={found.error} onRetry={found.reload} />;
  else if (found.loading && found.data === undefined) body = <Loading label="Loading invoice…" />;
  else if (!found.data)
    body = (
      <Empty>
        This invoice is not in the tenant ledger yet. It appears once its webhook arrives or after an import from
        Stripe (app settings).
      </Empty>
    );
  else body = <InvoicePanel api={api} invoiceId={found.data.id} locale={userContext.locale} showOpenInStripe={false} />;

  return (
    <ContextView
      title="Tenant billing"
      description={found.data ? invoiceLabel(found.data, userContext.locale) : undefined}
      footerContent={
        <Box>
          <Link href={{ name: 'fullPage' }}>All tenant invoices</Link>
        </Box>
      }
    >
      {body}
    </ContextView>
  );
};

export default InvoiceDetail;
