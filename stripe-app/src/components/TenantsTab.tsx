// Tenants tab: search, create, and per tenant rename and manage gateway links.
import { useState } from 'react';
import { Box, Button, DataTable, FocusView, List, ListItem, Select, TextField } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient, Gateway, TenantResponse } from '../api/client';
import { usePagedList, useRequest } from '../api/hooks';
import { formatDate } from '../format';
import { PAGE_SIZE } from './InvoicesTab';
import { ErrorBanner, Loading } from './states';

export function TenantsTab({ api, locale }: { api: ApiClient; locale: string }) {
  const [q, setQ] = useState('');
  const [name, setName] = useState('');
  const [externalRef, setExternalRef] = useState('');
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<Error | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const list = usePagedList((cursor) => api.listTenants({ q: q.trim() || undefined, limit: PAGE_SIZE, cursor }), [q.trim()]);

  const create = async () => {
    setCreating(true);
    setCreateError(null);
    try {
      const tenant = await api.createTenant({ name: name.trim(), external_ref: externalRef.trim() || undefined });
      setName('');
      setExternalRef('');
      list.reload();
      setOpen(tenant.id);
    } catch (err) {
      setCreateError(err as Error);
    } finally {
      setCreating(false);
    }
  };

  return (
    <Box css={{ stack: 'y', gap: 'medium' }}>
      <Box css={{ stack: 'x', gap: 'medium', wrap: 'wrap', alignY: 'bottom' }}>
        <TextField label="New tenant" placeholder="Name" value={name} onChange={(e) => setName(e.target.value)} />
        <TextField
          label="External reference"
          placeholder="optional, e.g. your workspace id"
          value={externalRef}
          onChange={(e) => setExternalRef(e.target.value)}
        />
        <Button type="primary" disabled={!name.trim() || creating} pending={creating} onPress={create}>
          Create tenant
        </Button>
      </Box>
      {createError ? <ErrorBanner title="Could not create the tenant" error={createError} /> : null}
      <TextField label="Search tenants" placeholder="Name or external reference" value={q} onChange={(e) => setQ(e.target.value)} />
      {list.error ? <ErrorBanner title="Could not load tenants" error={list.error} onRetry={list.reload} /> : null}
      <DataTable
        columns={[
          { key: 'name', label: 'Name' },
          { key: 'external_ref', label: 'External reference' },
          { key: 'links', label: 'Linked identities' },
          { key: 'created', label: 'Created' },
        ]}
        items={(list.error ? [] : list.items).map((t) => ({
          id: t.id,
          name: t.name,
          external_ref: t.external_ref ?? '—',
          links: t.links.length === 0 ? 'none' : t.links.map((l) => l.external_id).join(', '),
          created: formatDate(t.created_at, locale),
        }))}
        loading={list.loading}
        emptyMessage={q.trim() ? 'No tenants match this search.' : 'No tenants yet. Create one above.'}
        onRowClick={(item) => setOpen(String(item.id))}
        pagination={{ pageSize: PAGE_SIZE, currentPage: list.page, onPageChange: list.goToPage, hasMore: list.hasMore }}
      />
      <FocusView
        title="Tenant"
        shown={open !== null}
        setShown={(shown) => {
          if (!shown) {
            setOpen(null);
            list.reload();
          }
        }}
      >
        {open ? <TenantPanel api={api} tenantId={open} /> : <Box>{''}</Box>}
      </FocusView>
    </Box>
  );
}

export function TenantPanel({ api, tenantId }: { api: ApiClient; tenantId: string }) {
  const tenant = useRequest(() => api.getTenant(tenantId), [api, tenantId]);
  const [name, setName] = useState<string | null>(null);
  const [gateway, setGateway] = useState<Gateway>('stripe');
  const [externalId, setExternalId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; error: Error } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  if (tenant.error) return <ErrorBanner title="Could not load the tenant" error={tenant.error} onRetry={tenant.reload} />;
  if (!tenant.data) return <Loading label="Loading tenant…" />;
  const t: TenantResponse = tenant.data;

  const act = async (title: string, fn: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      setSaved(await fn());
      tenant.reload();
    } catch (err) {
      setError({ title, error: err as Error });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box css={{ stack: 'y', gap: 'large' }}>
      {saved ? <Box css={{ color: 'success' }}>{saved}</Box> : null}
      {error ? <ErrorBanner title={error.title} error={error.error} /> : null}
      <Box css={{ stack: 'x', gap: 'small', alignY: 'bottom' }}>
        <TextField label="Name" value={name ?? t.name} onChange={(e) => setName(e.target.value)} />
        <Button
          disabled={busy || name === null || name.trim() === t.name}
          onPress={() =>
            act('Could not rename the tenant', async () => {
              await api.updateTenant(t.id, { name: (name ?? '').trim() });
              setName(null);
              return 'Tenant renamed.';
            })
          }
        >
          Rename
        </Button>
      </Box>
      <Box css={{ stack: 'y', gap: 'small' }}>
        <Box css={{ font: 'subheading' }}>Linked identities</Box>
        {t.links.length === 0 ? (
          <Box css={{ color: 'secondary' }}>No Stripe customer or PayPal subscriber is linked yet.</Box>
        ) : (
          <List>
            {t.links.map((l) => (
              <ListItem
                key={l.id}
                id={l.id}
                title={l.external_id}
                secondaryTitle={l.gateway === 'stripe' ? 'Stripe customer' : 'PayPal subscription or payer'}
                value={
                  <Button
                    size="small"
                    type="destructive"
                    disabled={busy}
                    onPress={() =>
                      act('Could not remove the link', async () => {
                        await api.removeLink(t.id, l.id);
                        return `Unlinked ${l.external_id}.`;
                      })
                    }
                  >
                    Unlink
                  </Button>
                }
              />
            ))}
          </List>
        )}
        <Box css={{ stack: 'x', gap: 'small', alignY: 'bottom' }}>
          <Select label="Gateway" value={gateway} onChange={(e) => setGateway(e.target.value as Gateway)}>
            <option value="stripe">Stripe</option>
            <option value="paypal">PayPal</option>
          </Select>
          <TextField
            label="Identity"
            placeholder={gateway === 'stripe' ? 'cus_…' : 'I-… or payer id'}
            value={externalId}
            onChange={(e) => setExternalId(e.target.value)}
          />
          <Button
            disabled={busy || !externalId.trim()}
            onPress={() =>
              act('Could not add the link', async () => {
                await api.addLink(t.id, { gateway, external_id: externalId.trim() });
                setExternalId('');
                return `Linked ${externalId.trim()}.`;
              })
            }
          >
            Link
          </Button>
        </Box>
      </Box>
    </Box>
  );
}
