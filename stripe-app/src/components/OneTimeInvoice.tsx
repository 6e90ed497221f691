// The one-time invoice FocusView (seed page 003): pick tenants (shown as chips), add lines,
// currency, days until due; one invoice per tenant. Field errors are re-checked as the admin types,
// so a fixed field loses its error; the results name each invoice by its number, with its links.
import { useState } from 'react';
import { Banner, Box, Button, Chip, ChipList, FocusView, Link, List, ListItem, SearchField, Select, TextField } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient, OneTimeInvoiceResponse } from '../api/client';
import { useRequest } from '../api/hooks';
import type { Invoice } from '../api/invoice-types';
import { useAction } from '../api/use-action';
import { currencyDigits, formatMoney, invoiceLabel, parseAmount } from '../format';
import { errorText } from './states';

const CURRENCIES = ['usd', 'eur', 'gbp', 'cad', 'aud', 'chf', 'jpy', 'sek', 'nok', 'dkk', 'kwd'];

interface Line {
  description: string;
  amount: string;
}
type Picked = { id: string; name: string };
type Result = OneTimeInvoiceResponse['results'][number] & { invoice?: Invoice | null };

interface Form {
  tenants: Picked[];
  currency: string;
  lines: Line[];
  days: string;
}

/** Every problem of the form, keyed by field; empty when it can be sent. */
function validate(form: Form): Record<string, string> {
  const found: Record<string, string> = {};
  if (form.tenants.length === 0) found.tenants = 'Pick at least one tenant.';
  form.lines.forEach((l, i) => {
    if (!l.description.trim()) found[`line${i}.description`] = 'Describe the line.';
    if (parseAmount(l.amount, form.currency) === null) {
      found[`line${i}.amount`] = `Enter a positive amount with at most ${currencyDigits(form.currency)} decimals.`;
    }
  });
  if (!/^\d+$/.test(form.days.trim()) || Number(form.days.trim()) > 365) found.days = 'Enter a whole number of days (0–365).';
  return found;
}

const emptyForm = (): Form => ({ tenants: [], currency: 'usd', lines: [{ description: '', amount: '' }], days: '30' });

export function OneTimeInvoice({
  api,
  locale,
  shown,
  setShown,
  onCreated,
}: {
  api: ApiClient;
  locale: string;
  shown: boolean;
  setShown: (shown: boolean) => void;
  /** called after invoices were created (the page re-reads its list and cards) */
  onCreated?: () => void;
}) {
  const [form, setForm] = useState<Form>(emptyForm);
  // errors show after the first attempt to send, and follow the fields from then on
  const [tried, setTried] = useState(false);
  const [results, setResults] = useState<Result[] | null>(null);
  const action = useAction();
  const errors = tried ? validate(form) : {};

  const close = () => {
    setForm(emptyForm());
    setTried(false);
    setResults(null);
    action.clearError();
    setShown(false);
  };
  const setLine = (i: number, patch: Partial<Line>) =>
    setForm((f) => ({ ...f, lines: f.lines.map((l, j) => (j === i ? { ...l, ...patch } : l)) }));

  const submit = async () => {
    setTried(true);
    if (Object.keys(validate(form)).length > 0) return;
    const outcome = await action.run(
      async () => {
        const answer = await api.createOneTimeInvoices({
          tenant_ids: form.tenants.map((t) => t.id),
          currency: form.currency,
          lines: form.lines.map((l) => ({ description: l.description.trim(), amount: parseAmount(l.amount, form.currency)! })),
          days_until_due: Number(form.days.trim()),
        });
        // the answer names ledger ids; read each invoice for its number and links
        return Promise.all(
          answer.results.map(async (r): Promise<Result> => ({
            ...r,
            invoice: r.invoice_id ? await api.getInvoice(r.invoice_id).catch(() => null) : null,
          })),
        );
      },
      {
        success: (rs) => `${rs.filter((r) => !r.error).length} of ${rs.length} invoices created`,
        failure: 'Could not create the invoices',
        reload: onCreated,
      },
    );
    if (outcome.ok) setResults(outcome.value);
  };

  const total = form.lines.reduce((sum, l) => sum + (parseAmount(l.amount, form.currency) ?? 0), 0);
  const name = (id: string) => form.tenants.find((t) => t.id === id)?.name ?? 'Tenant';

  return (
    <FocusView
      title="Create one-time invoices"
      shown={shown}
      setShown={(s) => (s ? setShown(true) : close())}
      primaryAction={
        results ? (
          // its own key and an explicit pending={false}: the host must not keep the spinner of the
          // "Create invoices" button this one replaces
          <Button key="done" type="primary" pending={false} onPress={close}>
            Done
          </Button>
        ) : (
          <Button key="create" type="primary" pending={action.busy} disabled={action.busy} onPress={submit}>
            Create invoices
          </Button>
        )
      }
      secondaryAction={results ? undefined : <Button onPress={close}>Cancel</Button>}
    >
      {results ? (
        <Box css={{ stack: 'y', gap: 'medium' }}>
          <Banner
            type={results.some((r) => r.error) ? 'caution' : 'default'}
            title={`${results.filter((r) => !r.error).length} of ${results.length} invoices created`}
          />
          <List>
            {results.map((r) => (
              <ListItem
                key={r.tenant_id}
                id={r.tenant_id}
                title={name(r.tenant_id)}
                secondaryTitle={
                  r.error
                    ? `Failed: ${r.error.message}`
                    : r.invoice
                      ? `Created ${invoiceLabel(r.invoice, locale)} · ${formatMoney(r.invoice.total, r.invoice.currency, locale)}`
                      : 'Created'
                }
                value={
                  r.invoice?.hosted_url || r.invoice?.dashboard_url ? (
                    <Box css={{ stack: 'x', gap: 'small' }}>
                      {r.invoice.dashboard_url ? (
                        <Link href={r.invoice.dashboard_url} external target="_blank">
                          Open in Stripe
                        </Link>
                      ) : null}
                      {r.invoice.hosted_url ? (
                        <Link href={r.invoice.hosted_url} external target="_blank">
                          Payment page
                        </Link>
                      ) : null}
                    </Box>
                  ) : undefined
                }
              />
            ))}
          </List>
        </Box>
      ) : (
        <Box css={{ stack: 'y', gap: 'medium' }}>
          {action.error ? <Banner type="critical" title="Could not create the invoices" description={errorText(action.error)} /> : null}
          <TenantChooser
            api={api}
            picked={form.tenants}
            error={errors.tenants}
            onChange={(tenants) => setForm((f) => ({ ...f, tenants }))}
          />
          <Select label="Currency" value={form.currency} onChange={(e) => setForm((f) => ({ ...f, currency: e.target.value }))}>
            {CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c.toUpperCase()}
              </option>
            ))}
          </Select>
          {form.lines.map((line, i) => (
            <Box key={i} css={{ stack: 'x', gap: 'small', alignY: 'top' }}>
              <TextField
                label={`Line ${i + 1} description`}
                value={line.description}
                error={errors[`line${i}.description`]}
                invalid={errors[`line${i}.description`] !== undefined}
                onChange={(e) => setLine(i, { description: e.target.value })}
              />
              <TextField
                label={`Line ${i + 1} amount`}
                placeholder={currencyDigits(form.currency) === 0 ? '1000' : '10.00'}
                value={line.amount}
                error={errors[`line${i}.amount`]}
                invalid={errors[`line${i}.amount`] !== undefined}
                onChange={(e) => setLine(i, { amount: e.target.value })}
              />
              {form.lines.length > 1 ? (
                <Button size="small" onPress={() => setForm((f) => ({ ...f, lines: f.lines.filter((_, j) => j !== i) }))}>
                  Remove
                </Button>
              ) : null}
            </Box>
          ))}
          <Box>
            <Button size="small" onPress={() => setForm((f) => ({ ...f, lines: [...f.lines, { description: '', amount: '' }] }))}>
              Add line
            </Button>
          </Box>
          <TextField
            label="Days until due"
            type="number"
            value={form.days}
            error={errors.days}
            invalid={errors.days !== undefined}
            onChange={(e) => setForm((f) => ({ ...f, days: e.target.value }))}
          />
          <Box css={{ font: 'bodyEmphasized' }}>
            Total per tenant: {formatMoney(total, form.currency, locale)}
            {form.tenants.length > 1 ? ` (${form.tenants.length} invoices)` : ''}
          </Box>
        </Box>
      )}
    </FocusView>
  );
}

/**
 * Adds tenants one search at a time; the picked ones are chips that can be removed. (The SDK's
 * multiple SearchField keeps its own selection, which a removed chip could not clear.)
 */
function TenantChooser({
  api,
  picked,
  error,
  onChange,
}: {
  api: ApiClient;
  picked: Picked[];
  error?: string;
  onChange: (tenants: Picked[]) => void;
}) {
  const [query, setQuery] = useState('');
  const [round, setRound] = useState(0);
  const tenants = useRequest(() => api.listTenants({ q: query.trim() || undefined, limit: 50 }), [api, query]);
  const options = (tenants.data?.data ?? []).filter((t) => !picked.some((p) => p.id === t.id));
  return (
    <Box css={{ stack: 'y', gap: 'small' }}>
      <SearchField
        key={round}
        label="Tenants"
        description={picked.length === 0 ? 'Search and pick each tenant to bill.' : `${picked.length} picked; pick another to add it.`}
        placeholder="Search tenants"
        selectionMode="single"
        data={options.map((t) => ({ id: t.id, value: t.name }))}
        error={error ?? (tenants.error ? `Could not load tenants: ${tenants.error.message}` : undefined)}
        value={query}
        onInputChange={setQuery}
        onSelectionChange={(key) => {
          const t = tenants.data?.data.find((x) => x.id === key);
          if (!t) return;
          onChange([...picked, { id: t.id, name: t.name }]);
          setQuery('');
          setRound((r) => r + 1); // a fresh, empty search field for the next tenant
        }}
      />
      {picked.length > 0 ? (
        <ChipList>
          {picked.map((t) => (
            <Chip key={t.id} value={t.name} onClose={() => onChange(picked.filter((p) => p.id !== t.id))} />
          ))}
        </ChipList>
      ) : null}
    </Box>
  );
}
