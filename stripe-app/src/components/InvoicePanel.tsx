// One ledger invoice: its name and one state badge, the failed payment's error, tenant (assign if
// none), amounts, line items, PDF / receipt / "Open in Stripe" links, refunds, actions with
// confirmation, and the history with readable sources. Used by the invoice detail view and by the
// full page's row details; `onChanged` lets the page re-read its list and cards after an action.
import { useState } from 'react';
import { Banner, Box, Button, Divider, Link, List, ListItem, PropertyList, PropertyListItem } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient } from '../api/client';
import { useRequest } from '../api/hooks';
import type { InvoiceDetail } from '../api/invoice-types';
import { useAction } from '../api/use-action';
import { formatDate, formatDateTime, formatMoney, historySource, invoiceLabel } from '../format';
import { InvoiceActions } from './InvoiceActions';
import { InvoiceLines } from './InvoiceLines';
import { ErrorBanner, Loading } from './states';
import { StatusBadge, invoiceStatusKey, statusLabel } from './status';
import { TenantPicker } from './TenantPicker';

export function InvoicePanel({
  api,
  invoiceId,
  locale,
  onChanged,
  showOpenInStripe = true,
}: {
  api: ApiClient;
  invoiceId: string;
  locale: string;
  /** called after an action changed the invoice (the caller re-reads its list and figures) */
  onChanged?: () => void;
  /** false on Stripe's own invoice page, where the link would lead to the page already shown */
  showOpenInStripe?: boolean;
}) {
  const detail = useRequest(() => api.getInvoice(invoiceId) as Promise<InvoiceDetail>, [api, invoiceId]);
  if (detail.error && !detail.data) {
    return <ErrorBanner title="Could not load the invoice" error={detail.error} onRetry={detail.reload} />;
  }
  if (!detail.data) return <Loading label="Loading invoice…" />;
  return (
    <InvoiceDetails
      api={api}
      invoice={detail.data}
      locale={locale}
      showOpenInStripe={showOpenInStripe}
      reload={[detail.reload, onChanged]}
    />
  );
}

export function InvoiceDetails({
  api,
  invoice,
  locale,
  reload,
  showOpenInStripe = true,
}: {
  api: ApiClient;
  invoice: InvoiceDetail;
  locale: string;
  reload: (undefined | (() => void))[];
  showOpenInStripe?: boolean;
}) {
  const money = (amount: number) => formatMoney(amount, invoice.currency, locale);
  const state = invoiceStatusKey(invoice);
  const name = invoiceLabel(invoice, locale);
  const refunds = invoice.events.filter((e) => /refund/i.test(e.type));
  return (
    <Box css={{ stack: 'y', gap: 'large' }}>
      <Box css={{ stack: 'y', gap: 'small' }}>
        <Box css={{ stack: 'x', gap: 'small', alignY: 'center' }}>
          <Box css={{ font: 'heading' }}>{name}</Box>
          <StatusBadge status={state} />
        </Box>
        {invoice.past_due ? (
          <Box css={{ color: 'attention' }}>
            Past due for {invoice.days_past_due} {invoice.days_past_due === 1 ? 'day' : 'days'}
          </Box>
        ) : null}
      </Box>

      {state === 'failed' ? (
        <Banner
          type="critical"
          title="Payment failed"
          description={
            invoice.last_payment_error
              ? `The last payment attempt did not go through: ${invoice.last_payment_error}`
              : 'The last payment attempt did not go through.'
          }
        />
      ) : null}

      <TenantSection api={api} invoice={invoice} reload={reload} />

      <PropertyList>
        <PropertyListItem label="Gateway" value={invoice.gateway === 'stripe' ? 'Stripe' : 'PayPal'} />
        <PropertyListItem label="Total" value={money(invoice.total)} />
        <PropertyListItem label="Tax" value={money(invoice.tax)} />
        <PropertyListItem label="Amount paid" value={money(invoice.amount_paid)} />
        <PropertyListItem label="Amount remaining" value={money(invoice.amount_remaining)} />
        <PropertyListItem label="Due date" value={formatDate(invoice.due_date, locale)} />
        <PropertyListItem label="Created" value={formatDate(invoice.created_at, locale)} />
        <PropertyListItem label="Gateway id" value={invoice.external_id} />
      </PropertyList>

      <InvoiceLinks invoice={invoice} showOpenInStripe={showOpenInStripe} />

      <InvoiceLines lines={invoice.lines} total={invoice.total} currency={invoice.currency} locale={locale} />

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

      <InvoiceActions api={api} invoice={invoice} locale={locale} reload={reload} />

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
                secondaryTitle={`${formatDateTime(h.at, locale)} · by ${historySource(h.source, {
                  gateway: invoice.gateway,
                  userId: api.userId,
                })}${h.note ? ` · ${h.note}` : ''}`}
              />
            ))}
          </List>
        )}
      </Box>
    </Box>
  );
}

/** PDF, receipt (the hosted page of a paid invoice) or payment page, and the invoice in Stripe. */
function InvoiceLinks({ invoice, showOpenInStripe }: { invoice: InvoiceDetail; showOpenInStripe: boolean }) {
  const links: { href: string; label: string }[] = [];
  if (invoice.pdf_url) links.push({ href: invoice.pdf_url, label: 'Download PDF' });
  if (invoice.hosted_url) {
    links.push({ href: invoice.hosted_url, label: invoice.status === 'paid' ? 'Receipt' : 'Payment page' });
  }
  if (showOpenInStripe && invoice.dashboard_url) links.push({ href: invoice.dashboard_url, label: 'Open in Stripe' });
  if (links.length === 0) return null;
  return (
    <Box css={{ stack: 'x', gap: 'medium', wrap: 'wrap' }}>
      {links.map((l) => (
        <Link key={l.label} href={l.href} external target="_blank">
          {l.label}
        </Link>
      ))}
    </Box>
  );
}

function TenantSection({
  api,
  invoice,
  reload,
}: {
  api: ApiClient;
  invoice: InvoiceDetail;
  reload: (undefined | (() => void))[];
}) {
  const [tenantId, setTenantId] = useState<string | null>(null);
  const action = useAction();

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
  const assign = () => {
    if (!tenantId) return;
    void action.run(() => api.addLink(tenantId, { gateway: invoice.gateway, external_id: customerId }), {
      success: 'Tenant assigned',
      failure: 'Could not assign the tenant',
      reload,
    });
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
        <Button type="primary" disabled={!tenantId || action.busy} pending={action.busy} onPress={assign}>
          Assign tenant
        </Button>
      </Box>
      {action.error ? <ErrorBanner title="Could not assign the tenant" error={action.error} /> : null}
    </Box>
  );
}
