// One ledger invoice: tenant (assign if none), status with past-due days, amounts, refunds,
// history timeline, actions with confirmation and result, PDF link. Used by the invoice detail
// view and by the full page's row details.
import { useState } from 'react';
import { Banner, Box, Button, Divider, Link, List, ListItem, PropertyList, PropertyListItem } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient, InvoiceAction, InvoiceDetailResponse, InvoiceResponse } from '../api/client';
import { useRequest } from '../api/hooks';
import { formatDate, formatDateTime, formatMoney } from '../format';
import { ErrorBanner, Loading, errorText } from './states';
import { StatusBadge, invoiceStatusKey, statusLabel } from './status';
import { TenantPicker } from './TenantPicker';

export function InvoicePanel({ api, invoiceId, locale }: { api: ApiClient; invoiceId: string; locale: string }) {
  const detail = useRequest(() => api.getInvoice(invoiceId), [api, invoiceId]);
  if (detail.error) return <ErrorBanner title="Could not load the invoice" error={detail.error} onRetry={detail.reload} />;
  if (!detail.data) return <Loading label="Loading invoice…" />;
  return <InvoiceDetails api={api} invoice={detail.data} locale={locale} onChanged={detail.reload} />;
}

const invoiceName = (inv: Pick<InvoiceResponse, 'number' | 'external_id'>) => inv.number ?? inv.external_id;

function describeSource(source: string): string {
  const [kind, ...rest] = source.split(':');
  const what = rest.join(':');
  if (kind === 'event') return `event ${what}`;
  if (kind === 'user') return `admin ${what}`;
  if (kind === 'job') return `scheduled ${what.replace(/[-_]/g, ' ')}`;
  return source;
}

export function InvoiceDetails({
  api,
  invoice,
  locale,
  onChanged,
}: {
  api: ApiClient;
  invoice: InvoiceDetailResponse;
  locale: string;
  onChanged: () => void;
}) {
  const money = (amount: number) => formatMoney(amount, invoice.currency, locale);
  const status = invoiceStatusKey(invoice);
  const refunds = invoice.events.filter((e) => /refund/i.test(e.type));
  return (
    <Box css={{ stack: 'y', gap: 'large' }}>
      <Box css={{ stack: 'y', gap: 'small' }}>
        <Box css={{ stack: 'x', gap: 'small', alignY: 'center' }}>
          <Box css={{ font: 'heading' }}>{invoiceName(invoice)}</Box>
          <StatusBadge status={status} />
        </Box>
        {invoice.past_due ? (
          <Box css={{ color: 'attention' }}>
            Past due for {invoice.days_past_due} {invoice.days_past_due === 1 ? 'day' : 'days'}
          </Box>
        ) : null}
      </Box>

      <TenantSection api={api} invoice={invoice} onChanged={onChanged} />

      <PropertyList>
        <PropertyListItem label="Gateway" value={invoice.gateway === 'stripe' ? 'Stripe' : 'PayPal'} />
        <PropertyListItem label="Gateway id" value={invoice.external_id} />
        <PropertyListItem label="Total" value={money(invoice.total)} />
        <PropertyListItem label="Tax" value={money(invoice.tax)} />
        <PropertyListItem label="Amount paid" value={money(invoice.amount_paid)} />
        <PropertyListItem label="Amount remaining" value={money(invoice.amount_remaining)} />
        <PropertyListItem label="Due date" value={formatDate(invoice.due_date, locale)} />
        <PropertyListItem label="Created" value={formatDate(invoice.created_at, locale)} />
      </PropertyList>

      {invoice.pdf_url || invoice.hosted_url ? (
        <Box css={{ stack: 'x', gap: 'medium' }}>
          {invoice.pdf_url ? (
            <Link href={invoice.pdf_url} external target="_blank">
              Download PDF
            </Link>
          ) : null}
          {invoice.hosted_url ? (
            <Link href={invoice.hosted_url} external target="_blank">
              Hosted invoice page
            </Link>
          ) : null}
        </Box>
      ) : null}

      <Box css={{ stack: 'y', gap: 'small' }}>
        <Box css={{ font: 'subheading' }}>Refunds</Box>
        {invoice.amount_refunded > 0 ? (
          <Box>Refunded {money(invoice.amount_refunded)}</Box>
        ) : (
          <Box css={{ color: 'secondary' }}>No refunds.</Box>
        )}
        {refunds.length > 0 ? (
          <List>
            {refunds.map((e) => (
              <ListItem key={e.id} id={e.id} title={e.type} secondaryTitle={formatDateTime(e.occurred_at, locale)} />
            ))}
          </List>
        ) : null}
      </Box>

      <InvoiceActions api={api} invoice={invoice} locale={locale} onDone={onChanged} />

      <Divider />
      <Box css={{ stack: 'y', gap: 'small' }}>
        <Box css={{ font: 'subheading' }}>History</Box>
        {invoice.history.length === 0 ? (
          <Box css={{ color: 'secondary' }}>No status changes recorded yet.</Box>
        ) : (
          <List>
            {[...invoice.history].reverse().map((h, i) => (
              <ListItem
                key={`${h.at}-${i}`}
                id={`${h.at}-${i}`}
                title={h.from_status ? `${statusLabel(h.from_status)} → ${statusLabel(h.to_status)}` : statusLabel(h.to_status)}
                secondaryTitle={`${formatDateTime(h.at, locale)} · ${describeSource(h.source)}${h.note ? ` · ${h.note}` : ''}`}
              />
            ))}
          </List>
        )}
      </Box>
    </Box>
  );
}

function TenantSection({ api, invoice, onChanged }: { api: ApiClient; invoice: InvoiceResponse; onChanged: () => void }) {
  const [tenantId, setTenantId] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  if (invoice.tenant) {
    return (
      <Box css={{ stack: 'y', gap: 'xsmall' }}>
        <Box css={{ font: 'caption', color: 'secondary' }}>Tenant</Box>
        <Box css={{ font: 'bodyEmphasized' }}>{invoice.tenant.name}</Box>
      </Box>
    );
  }
  const customerId = invoice.customer_id;
  if (!customerId) {
    return <Banner title="No tenant" description="This invoice has no customer to link to a tenant." />;
  }
  const assign = async () => {
    if (!tenantId) return;
    setSaving(true);
    setError(null);
    try {
      await api.addLink(tenantId, { gateway: invoice.gateway, external_id: customerId });
      onChanged();
    } catch (err) {
      setError(err as Error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Box css={{ stack: 'y', gap: 'small' }}>
      <Banner
        type="caution"
        title="No tenant"
        description={`Customer ${customerId} is not linked to a tenant. Assigning links the customer, so its other invoices follow.`}
      />
      <TenantPicker api={api} label="Assign to tenant" onChange={setTenantId} />
      <Box>
        <Button type="primary" disabled={!tenantId || saving} pending={saving} onPress={assign}>
          Assign tenant
        </Button>
      </Box>
      {error ? <ErrorBanner title="Could not assign the tenant" error={error} /> : null}
    </Box>
  );
}

const ACTIONS: {
  action: InvoiceAction;
  label: string;
  question: string;
  done: string;
  destructive?: boolean;
  allowed: (inv: InvoiceResponse) => boolean;
}[] = [
  {
    action: 'retry',
    label: 'Retry payment',
    question: 'Charge the customer’s payment method again now?',
    done: 'Payment retried.',
    allowed: (inv) => inv.status === 'open',
  },
  {
    action: 'send-reminder',
    label: 'Send reminder',
    question: 'Email the customer a reminder to pay this invoice?',
    done: 'Reminder sent.',
    allowed: (inv) => inv.status === 'open',
  },
  {
    action: 'mark-uncollectible',
    label: 'Mark uncollectible',
    question: 'Write this invoice off as uncollectible? It can still be paid or voided later.',
    done: 'Invoice marked uncollectible.',
    destructive: true,
    allowed: (inv) => inv.status === 'open',
  },
  {
    action: 'void',
    label: 'Void invoice',
    question: 'Void this invoice? This cannot be undone.',
    done: 'Invoice voided.',
    destructive: true,
    allowed: (inv) => inv.status === 'open' || inv.status === 'uncollectible',
  },
];

export function InvoiceActions({
  api,
  invoice,
  locale,
  onDone,
}: {
  api: ApiClient;
  invoice: InvoiceResponse;
  locale: string;
  onDone: () => void;
}) {
  const [confirming, setConfirming] = useState<(typeof ACTIONS)[number] | null>(null);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);

  if (invoice.gateway !== 'stripe') {
    return <Box css={{ color: 'secondary' }}>Actions are available for Stripe invoices; manage PayPal invoices in PayPal.</Box>;
  }
  const available = ACTIONS.filter((a) => a.allowed(invoice));

  const run = async () => {
    if (!confirming) return;
    setRunning(true);
    try {
      const { invoice: updated } = await api.invoiceAction(invoice.id, confirming.action);
      const status = statusLabel(invoiceStatusKey(updated));
      setResult({
        ok: true,
        message:
          updated.status === 'open'
            ? `${confirming.done} Status: ${status}; remaining ${formatMoney(updated.amount_remaining, updated.currency, locale)}.`
            : `${confirming.done} Status: ${status}.`,
      });
      onDone();
    } catch (err) {
      setResult({ ok: false, message: `${confirming.label} failed: ${errorText(err as Error)}` });
    } finally {
      setRunning(false);
      setConfirming(null);
    }
  };

  return (
    <Box css={{ stack: 'y', gap: 'small' }}>
      <Box css={{ font: 'subheading' }}>Actions</Box>
      {result ? (
        <Banner
          type={result.ok ? 'default' : 'critical'}
          title={result.ok ? 'Done' : 'Action failed'}
          description={result.message}
          onDismiss={() => setResult(null)}
        />
      ) : null}
      {confirming ? (
        <Banner
          type="caution"
          title={`${confirming.label}: ${invoiceName(invoice)}`}
          description={confirming.question}
          actions={
            <Box css={{ stack: 'x', gap: 'small' }}>
              <Button type={confirming.destructive ? 'destructive' : 'primary'} pending={running} disabled={running} onPress={run}>
                Confirm
              </Button>
              <Button disabled={running} onPress={() => setConfirming(null)}>
                Cancel
              </Button>
            </Box>
          }
        />
      ) : available.length === 0 ? (
        <Box css={{ color: 'secondary' }}>No actions for a {statusLabel(invoiceStatusKey(invoice)).toLowerCase()} invoice.</Box>
      ) : (
        <Box css={{ stack: 'x', gap: 'small', wrap: 'wrap' }}>
          {available.map((a) => (
            <Button
              key={a.action}
              type={a.destructive ? 'destructive' : 'secondary'}
              onPress={() => {
                setResult(null);
                setConfirming(a);
              }}
            >
              {a.label}
            </Button>
          ))}
        </Box>
      )}
    </Box>
  );
}
