// stripe.dashboard.customer.detail: the tenant of the customer on screen (assign, create,
// unlink), that tenant's invoices across Stripe and PayPal, and its outstanding balance per currency.
import { useState } from 'react';
import { Box, Button, ContextView, DataTable, FocusView, PropertyList, PropertyListItem, TextField } from '@stripe/ui-extension-sdk/ui';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import type { ApiClient, TenantResponse } from '../api/client';
import { usePagedList, useApiClient, useRequest } from '../api/hooks';
import { InvoicePanel } from '../components/InvoicePanel';
import { invoiceRows, INVOICE_COLUMNS } from '../components/tables';
import { Empty, ErrorBanner, Loading } from '../components/states';
import { TenantPicker } from '../components/TenantPicker';
import { formatMoney } from '../format';

const CustomerDetail = ({ userContext, environment }: ExtensionContextValue) => {
  const api = useApiClient({ userContext, environment });
  const customerId = environment.objectContext?.id ?? '';
  const tenant = useRequest(() => api.findTenantByLink('stripe', customerId), [api, customerId]);

  let body: React.ReactNode;
  if (tenant.error) body = <ErrorBanner title="Could not load the tenant" error={tenant.error} onRetry={tenant.reload} />;
  else if (tenant.data === undefined) body = <Loading label="Loading tenant…" />;
  else if (tenant.data === null) body = <NoTenant api={api} customerId={customerId} onLinked={tenant.reload} />;
  else
    body = (
      <TenantOfCustomer
        api={api}
        tenant={tenant.data}
        customerId={customerId}
        locale={userContext.locale}
        onUnlinked={tenant.reload}
      />
    );

  return (
    <ContextView title="Tenant billing" description={`Customer ${customerId}`}>
      {body}
    </ContextView>
  );
};

export default CustomerDetail;

function NoTenant({ api, customerId, onLinked }: { api: ApiClient; customerId: string; onLinked: () => void }) {
  const [tenantId, setTenantId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; error: Error } | null>(null);

  const link = async (title: string, pickTenant: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    try {
      const id = await pickTenant();
      await api.addLink(id, { gateway: 'stripe', external_id: customerId });
      onLinked();
    } catch (err) {
      setError({ title, error: err as Error });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box css={{ stack: 'y', gap: 'large' }}>
      <Empty>This customer is not linked to a tenant.</Empty>
      <Box css={{ stack: 'y', gap: 'small' }}>
        <TenantPicker api={api} label="Assign to an existing tenant" onChange={setTenantId} />
        <Box>
          <Button
            type="primary"
            disabled={!tenantId || busy}
            onPress={() => link('Could not assign the tenant', async () => tenantId as string)}
          >
            Assign tenant
          </Button>
        </Box>
      </Box>
      <Box css={{ stack: 'y', gap: 'small' }}>
        <TextField label="Or create a tenant" placeholder="Tenant name" value={name} onChange={(e) => setName(e.target.value)} />
        <Box>
          <Button
            disabled={!name.trim() || busy}
            onPress={() =>
              link('Could not create the tenant', async () => (await api.createTenant({ name: name.trim() })).id)
            }
          >
            Create and link
          </Button>
        </Box>
      </Box>
      {error ? <ErrorBanner title={error.title} error={error.error} /> : null}
    </Box>
  );
}

function TenantOfCustomer({
  api,
  tenant,
  customerId,
  locale,
  onUnlinked,
}: {
  api: ApiClient;
  tenant: TenantResponse;
  customerId: string;
  locale: string;
  onUnlinked: () => void;
}) {
  const [unlinking, setUnlinking] = useState(false);
  const [unlinkError, setUnlinkError] = useState<Error | null>(null);
  const [openInvoice, setOpenInvoice] = useState<string | null>(null);
  const balance = useRequest(() => api.stats({ tenant_id: tenant.id }), [api, tenant.id]);
  const invoices = usePagedList((cursor) => api.listInvoices({ tenant_id: tenant.id, limit: 10, cursor }), [tenant.id]);
  const link = tenant.links.find((l) => l.gateway === 'stripe' && l.external_id === customerId);

  const unlink = async () => {
    if (!link) return;
    setUnlinking(true);
    setUnlinkError(null);
    try {
      await api.removeLink(tenant.id, link.id);
      onUnlinked();
    } catch (err) {
      setUnlinkError(err as Error);
      setUnlinking(false);
    }
  };

  return (
    <Box css={{ stack: 'y', gap: 'large' }}>
      <Box css={{ stack: 'y', gap: 'small' }}>
        <Box css={{ font: 'caption', color: 'secondary' }}>Tenant</Box>
        <Box css={{ font: 'heading' }}>{tenant.name}</Box>
        <PropertyList>
          {tenant.external_ref ? <PropertyListItem label="External reference" value={tenant.external_ref} /> : null}
          <PropertyListItem
            label="Linked identities"
            value={tenant.links.map((l) => `${l.gateway === 'stripe' ? 'Stripe' : 'PayPal'} ${l.external_id}`).join(', ')}
          />
        </PropertyList>
        <Box>
          <Button type="destructive" pending={unlinking} disabled={unlinking || !link} onPress={unlink}>
            Unlink this customer
          </Button>
        </Box>
        {unlinkError ? <ErrorBanner title="Could not unlink the customer" error={unlinkError} /> : null}
      </Box>

      <Box css={{ stack: 'y', gap: 'small' }}>
        <Box css={{ font: 'subheading' }}>Outstanding balance</Box>
        {balance.error ? (
          <ErrorBanner title="Could not load the balance" error={balance.error} onRetry={balance.reload} />
        ) : !balance.data ? (
          <Loading />
        ) : balance.data.currencies.every((c) => c.pending_amount === 0) ? (
          <Box css={{ color: 'secondary' }}>Nothing outstanding.</Box>
        ) : (
          <PropertyList>
            {balance.data.currencies
              .filter((c) => c.pending_amount !== 0)
              .map((c) => (
                <PropertyListItem
                  key={c.currency}
                  label={c.currency.toUpperCase()}
                  value={formatMoney(c.pending_amount, c.currency, locale)}
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
            onRowClick={(item) => setOpenInvoice(String(item.id))}
            pagination={{ pageSize: 10, currentPage: invoices.page, onPageChange: invoices.goToPage, hasMore: invoices.hasMore }}
          />
        )}
      </Box>

      <FocusView title="Invoice" shown={openInvoice !== null} setShown={(shown) => !shown && setOpenInvoice(null)}>
        {openInvoice ? <InvoicePanel api={api} invoiceId={openInvoice} locale={locale} /> : <Box>{''}</Box>}
      </FocusView>
    </Box>
  );
}
