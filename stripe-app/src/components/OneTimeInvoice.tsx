// The one-time invoice FocusView: pick tenants, add lines, currency, days until due; one invoice
// per tenant, with each tenant's result shown.
import { useState } from 'react';
import { Banner, Box, Button, FocusView, List, ListItem, Select, TextField } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient, OneTimeInvoiceResponse } from '../api/client';
import { currencyDigits, formatMoney, parseAmount } from '../format';
import { errorText } from './states';
import { TenantMultiPicker } from './TenantPicker';

const CURRENCIES = ['usd', 'eur', 'gbp', 'cad', 'aud', 'chf', 'jpy', 'sek', 'nok', 'dkk', 'kwd'];

interface Line {
  description: string;
  amount: string;
}

export function OneTimeInvoice({
  api,
  locale,
  shown,
  setShown,
}: {
  api: ApiClient;
  locale: string;
  shown: boolean;
  setShown: (shown: boolean) => void;
}) {
  const [tenants, setTenants] = useState<{ id: string; name: string }[]>([]);
  const [currency, setCurrency] = useState('usd');
  const [lines, setLines] = useState<Line[]>([{ description: '', amount: '' }]);
  const [days, setDays] = useState('30');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<Error | null>(null);
  const [results, setResults] = useState<OneTimeInvoiceResponse['results'] | null>(null);

  const reset = () => {
    setTenants([]);
    setLines([{ description: '', amount: '' }]);
    setDays('30');
    setErrors({});
    setFailure(null);
    setResults(null);
  };
  const close = () => {
    reset();
    setShown(false);
  };

  const setLine = (i: number, patch: Partial<Line>) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));

  const submit = async () => {
    const found: Record<string, string> = {};
    if (tenants.length === 0) found.tenants = 'Pick at least one tenant.';
    const parsed = lines.map((l, i) => {
      const amount = parseAmount(l.amount, currency);
      if (!l.description.trim()) found[`line${i}.description`] = 'Describe the line.';
      if (amount === null) {
        found[`line${i}.amount`] = `Enter a positive amount with at most ${currencyDigits(currency)} decimals.`;
      }
      return { description: l.description.trim(), amount: amount ?? 0 };
    });
    if (!/^\d+$/.test(days.trim())) found.days = 'Enter a whole number of days.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setSending(true);
    setFailure(null);
    try {
      const answer = await api.createOneTimeInvoices({
        tenant_ids: tenants.map((t) => t.id),
        currency,
        lines: parsed,
        days_until_due: Number(days.trim()),
      });
      setResults(answer.results);
    } catch (err) {
      setFailure(err as Error);
    } finally {
      setSending(false);
    }
  };

  const total = lines.reduce((sum, l) => sum + (parseAmount(l.amount, currency) ?? 0), 0);
  const name = (id: string) => tenants.find((t) => t.id === id)?.name ?? id;

  return (
    <FocusView
      title="Create one-time invoices"
      shown={shown}
      setShown={(s) => (s ? setShown(true) : close())}
      primaryAction={
        results ? (
          <Button type="primary" onPress={close}>
            Done
          </Button>
        ) : (
          <Button type="primary" pending={sending} disabled={sending} onPress={submit}>
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
                secondaryTitle={r.error ? `Failed: ${r.error.message}` : `Created ${r.stripe_invoice_id ?? r.invoice_id ?? ''}`}
              />
            ))}
          </List>
        </Box>
      ) : (
        <Box css={{ stack: 'y', gap: 'medium' }}>
          {failure ? <Banner type="critical" title="Could not create the invoices" description={errorText(failure)} /> : null}
          <TenantMultiPicker api={api} onChange={setTenants} error={errors.tenants} />
          <Select label="Currency" value={currency} onChange={(e) => setCurrency(e.target.value)}>
            {CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c.toUpperCase()}
              </option>
            ))}
          </Select>
          {lines.map((line, i) => (
            <Box key={i} css={{ stack: 'x', gap: 'small', alignY: 'top' }}>
              <TextField
                label={`Line ${i + 1} description`}
                value={line.description}
                error={errors[`line${i}.description`]}
                onChange={(e) => setLine(i, { description: e.target.value })}
              />
              <TextField
                label="Amount"
                placeholder={currencyDigits(currency) === 0 ? '1000' : '10.00'}
                value={line.amount}
                error={errors[`line${i}.amount`]}
                onChange={(e) => setLine(i, { amount: e.target.value })}
              />
              {lines.length > 1 ? (
                <Button size="small" onPress={() => setLines((ls) => ls.filter((_, j) => j !== i))}>
                  Remove
                </Button>
              ) : null}
            </Box>
          ))}
          <Box>
            <Button size="small" onPress={() => setLines((ls) => [...ls, { description: '', amount: '' }])}>
              Add line
            </Button>
          </Box>
          <TextField label="Days until due" type="number" value={days} error={errors.days} onChange={(e) => setDays(e.target.value)} />
          <Box css={{ font: 'bodyEmphasized' }}>
            Total per tenant: {formatMoney(total, currency, locale)}
          </Box>
        </Box>
      )}
    </FocusView>
  );
}
