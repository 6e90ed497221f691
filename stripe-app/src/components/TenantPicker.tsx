// Tenant search: a SearchField whose options come from GET /api/tenants?q=…
import { useState } from 'react';
import { SearchField } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient } from '../api/client';
import { useRequest } from '../api/hooks';

export function TenantPicker({
  api,
  label = 'Tenant',
  onChange,
}: {
  api: ApiClient;
  label?: string;
  onChange: (tenantId: string | null) => void;
}) {
  const [query, setQuery] = useState('');
  const tenants = useRequest(() => api.listTenants({ q: query.trim() || undefined, limit: 20 }), [api, query]);
  return (
    <SearchField
      label={label}
      placeholder="Search tenants"
      selectionMode="single"
      data={(tenants.data?.data ?? []).map((t) => ({ id: t.id, value: t.name }))}
      error={tenants.error ? `Could not load tenants: ${tenants.error.message}` : undefined}
      value={query}
      onInputChange={(value) => {
        setQuery(value);
        if (!value) onChange(null);
      }}
      onSelectionChange={(key) => onChange(key === null ? null : String(key))}
    />
  );
}

/** Pick several tenants (one-time invoices). */
export function TenantMultiPicker({
  api,
  onChange,
  error,
}: {
  api: ApiClient;
  onChange: (tenants: { id: string; name: string }[]) => void;
  error?: string;
}) {
  const [query, setQuery] = useState('');
  const [known, setKnown] = useState<Record<string, string>>({});
  const tenants = useRequest(async () => {
    const page = await api.listTenants({ q: query.trim() || undefined, limit: 50 });
    setKnown((k) => ({ ...k, ...Object.fromEntries(page.data.map((t) => [t.id, t.name])) }));
    return page;
  }, [api, query]);
  return (
    <SearchField
      label="Tenants"
      placeholder="Search tenants"
      selectionMode="multiple"
      data={(tenants.data?.data ?? []).map((t) => ({ id: t.id, value: t.name }))}
      error={error ?? (tenants.error ? `Could not load tenants: ${tenants.error.message}` : undefined)}
      value={query}
      onInputChange={setQuery}
      onSelectionChange={(keys) => onChange([...keys].map((k) => ({ id: String(k), name: known[String(k)] ?? String(k) })))}
    />
  );
}
