// stripe.dashboard.customer.detail: the tenant of the customer on screen (assign, create,
// unlink), that tenant's invoices across Stripe and PayPal, and its outstanding balance per currency.
import { useState } from 'react';
import { Box, Button, ContextView, FocusView, PropertyList, PropertyListItem, TextField } from '@stripe/ui-extension-sdk/ui';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import type { ApiClient, TenantResponse } from '../api/client';
import { useApiClient, useRequest } from '../api/hooks';
import { useAction } from '../api/use-action';
import { InvoicePanel } from '../components/InvoicePanel';
import { Empty, ErrorBanner, Loading } from '../components/states';
import { TenantBilling } from '../components/TenantBilling';
import { TenantPicker } from '../components/TenantPicker';

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
  const action = useAction();
  const [failure, setFailure] = useState('');

  const link = (failure: string, pickTenant: () => Promise<string>) => {
    setFailure(failure);
    void action.run(
      async () => {
        const id = await pickTenant();
        return api.addLink(id, { gateway: 'stripe', external_id: customerId });
      },
      { success: 'Customer linked to the tenant', failure, reload: onLinked },
    );
  };

  return (
    <Box css={{ stack: 'y', gap: 'large' }}>
      <Empty>This customer is not linked to a tenant.</Empty>
      <Box css={{ stack: 'y', gap: 'small' }}>
        <TenantPicker api={api} label="Assign to an existing tenant" onChange={setTenantId} />
        <Box>
          <Button
            type="primary"
            disabled={!tenantId || action.busy}
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
            disabled={!name.trim() || action.busy}
            onPress={() => link('Could not create the tenant', async () => (await api.createTenant({ name: name.trim() })).id)}
          >
            Create and link
          </Button>
        </Box>
      </Box>
      {action.error ? <ErrorBanner title={failure} error={action.error} /> : null}
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
  const [openInvoice, setOpenInvoice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const action = useAction();
  const link = tenant.links.find((l) => l.gateway === 'stripe' && l.external_id === customerId);

  const unlink = () => {
    if (!link) return;
    void action.run(() => api.removeLink(tenant.id, link.id), {
      success: `Customer unlinked from ${tenant.name}`,
      failure: 'Could not unlink the customer',
      reload: onUnlinked,
    });
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
          <Button type="destructive" pending={action.busy} disabled={action.busy || !link} onPress={unlink}>
            Unlink this customer
          </Button>
        </Box>
        {action.error ? <ErrorBanner title="Could not unlink the customer" error={action.error} /> : null}
      </Box>

      <TenantBilling api={api} tenantId={tenant.id} locale={locale} version={version} onOpenInvoice={setOpenInvoice} />

      <FocusView title="Invoice" shown={openInvoice !== null} setShown={(shown) => !shown && setOpenInvoice(null)}>
        {openInvoice ? (
          <InvoicePanel api={api} invoiceId={openInvoice} locale={locale} onChanged={() => setVersion((v) => v + 1)} />
        ) : (
          <Box>{''}</Box>
        )}
      </FocusView>
    </Box>
  );
}
