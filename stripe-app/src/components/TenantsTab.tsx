// Tenants tab: search, create, and per tenant a panel: rename, its balance per currency and its
// invoices, its reminder escalation, and its gateway links (a Stripe customer is checked with
// Stripe when the backend can).
import { useState } from 'react';
import { Banner, Box, Button, DataTable, FocusView, List, ListItem, Select, TextField } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient, Gateway, TenantResponse } from '../api/client';
import { usePagedList, useRequest } from '../api/hooks';
import { formatDate } from '../format';
import { PAGE_SIZE } from './InvoicesTab';
import { useAction } from '../api/use-action';
import { ErrorBanner, Loading } from './states';
import { TenantBilling } from './TenantBilling';
import { TenantReminders } from './TenantReminders';

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
        title={list.items.find((t) => t.id === open)?.name ?? 'Tenant'}
        shown={open !== null}
        setShown={(shown) => {
          if (!shown) {
            setOpen(null);
            list.reload();
          }
        }}
      >
        {open ? <TenantPanel api={api} tenantId={open} locale={locale} onChanged={list.reload} /> : <Box>{''}</Box>}
      </FocusView>
    </Box>
  );
}

export function TenantPanel({ api, tenantId, locale, onChanged }: { api: ApiClient; tenantId: string; locale: string; onChanged?: () => void }) {
  const tenant = useRequest(() => api.getTenant(tenantId), [api, tenantId]);
  const [name, setName] = useState<string | null>(null);
  const [gateway, setGateway] = useState<Gateway>('stripe');
  const [externalId, setExternalId] = useState('');
  const [version, setVersion] = useState(0);
  const [note, setNote] = useState<string | null>(null);
  const action = useAction();

  if (tenant.error) return <ErrorBanner title="Could not load the tenant" error={tenant.error} onRetry={tenant.reload} />;
  if (!tenant.data) return <Loading label="Loading tenant…" />;
  const t: TenantResponse = tenant.data;
  // what a change of the tenant's identities moves: its invoices, balance, and the page's list
  const reload = [tenant.reload, () => setVersion((v) => v + 1), onChanged];

  const rename = async () => {
    const outcome = await action.run(() => api.updateTenant(t.id, { name: (name ?? '').trim() }), {
      success: (updated) => `Renamed to ${updated.name}`,
      failure: 'Could not rename the tenant',
      reload: [tenant.reload, onChanged],
    });
    if (outcome.ok) setName(null);
  };
  const link = async () => {
    const id = externalId.trim();
    setNote(null);
    const outcome = await action.run(() => api.addLink(t.id, { gateway, external_id: id }), {
      // unchecked: the banner below says why; the toast has 30 characters at most
      success: (l) => (l.checked ? `Linked ${id}` : 'Linked, not checked'),
      successType: (l) => (l.checked ? 'success' : 'caution'),
      failure: `Could not link ${id}`,
      reload,
    });
    if (outcome.ok) {
      setExternalId('');
      if (!outcome.value.checked && outcome.value.unchecked_reason) setNote(`${id} was linked without a check: ${outcome.value.unchecked_reason}.`);
    }
  };
  const unlink = (linkId: string, id: string) =>
    void action.run(() => api.removeLink(t.id, linkId), { success: `Unlinked ${id}`, failure: `Could not unlink ${id}`, reload });

  return (
    <Box css={{ stack: 'y', gap: 'large' }}>
      {action.error ? <ErrorBanner title="The change was not made" error={action.error} /> : null}
      {note ? <Banner type="caution" title="Not checked with Stripe" description={note} onDismiss={() => setNote(null)} /> : null}
      <Box css={{ stack: 'x', gap: 'small', alignY: 'bottom' }}>
        <TextField label="Name" value={name ?? t.name} onChange={(e) => setName(e.target.value)} />
        <Button disabled={action.busy || name === null || !name.trim() || name.trim() === t.name} onPress={rename}>
          Rename
        </Button>
      </Box>
      <TenantBilling api={api} tenantId={t.id} locale={locale} version={version} />
      <TenantReminders api={api} tenant={t} onSaved={tenant.reload} />
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
                  <Button size="small" type="destructive" disabled={action.busy} onPress={() => unlink(l.id, l.external_id)}>
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
          <Button disabled={action.busy || !externalId.trim()} pending={action.busy} onPress={link}>
            Link
          </Button>
        </Box>
      </Box>
    </Box>
  );
}
