// The actions of a Stripe invoice (seed page 003: retry a failed payment, void, …), each confirmed
// first; after one, the invoice and the page around it are re-read, the Dashboard refreshed and a
// toast confirms it (useAction).
import { useState } from 'react';
import { Banner, Box, Button } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient, InvoiceAction } from '../api/client';
import type { InvoiceDetail } from '../api/invoice-types';
import { useAction } from '../api/use-action';
import { formatMoney, invoiceLabel } from '../format';
import { errorText } from './states';
import { invoiceStatusKey, statusLabel } from './status';

interface ActionSpec {
  action: InvoiceAction;
  label: string;
  question: string;
  done: string;
  toast: string;
  destructive?: boolean;
  allowed: (inv: InvoiceDetail) => boolean;
}

// Retry: a failed payment, or an open invoice Stripe charges automatically; a send_invoice
// invoice nobody has tried to pay yet has nothing to retry (the backend refuses it with 409).
const canRetry = (inv: InvoiceDetail) =>
  inv.status === 'open' &&
  (invoiceStatusKey(inv) === 'failed' || inv.collection_method !== 'send_invoice' || inv.attempt_count > 0);

export const ACTIONS: ActionSpec[] = [
  {
    action: 'retry',
    label: 'Retry payment',
    question: 'Charge the customer’s payment method again now?',
    done: 'Payment retried.',
    toast: 'payment retried',
    allowed: canRetry,
  },
  {
    action: 'send-reminder',
    label: 'Send reminder',
    question: 'Email the customer a reminder to pay this invoice?',
    done: 'Reminder sent.',
    toast: 'reminder sent',
    allowed: (inv) => inv.status === 'open',
  },
  {
    action: 'mark-uncollectible',
    label: 'Mark uncollectible',
    question: 'Write this invoice off as uncollectible? It can still be paid or voided later.',
    done: 'Invoice marked uncollectible.',
    toast: 'marked uncollectible',
    destructive: true,
    allowed: (inv) => inv.status === 'open',
  },
  {
    action: 'void',
    label: 'Void invoice',
    question: 'Void this invoice? This cannot be undone.',
    done: 'Invoice voided.',
    toast: 'voided',
    destructive: true,
    allowed: (inv) => inv.status === 'open' || inv.status === 'uncollectible',
  },
];

export function InvoiceActions({
  api,
  invoice,
  locale,
  reload,
}: {
  api: ApiClient;
  invoice: InvoiceDetail;
  locale: string;
  reload: (undefined | (() => void))[];
}) {
  const [confirming, setConfirming] = useState<ActionSpec | null>(null);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const action = useAction();
  const name = invoiceLabel(invoice, locale);

  if (invoice.gateway !== 'stripe') {
    return <Box css={{ color: 'secondary' }}>Actions are available for Stripe invoices; manage PayPal invoices in PayPal.</Box>;
  }
  const available = ACTIONS.filter((a) => a.allowed(invoice));

  const run = async () => {
    if (!confirming) return;
    const spec = confirming;
    const outcome = await action.run(() => api.invoiceAction(invoice.id, spec.action), {
      success: () => `${name} ${spec.toast}`,
      failure: `${spec.label} failed for ${name}`,
      reload,
    });
    if (outcome.ok) {
      const updated = outcome.value.invoice as InvoiceDetail;
      const status = statusLabel(invoiceStatusKey(updated));
      setResult({
        ok: true,
        message:
          updated.status === 'open'
            ? `${spec.done} Status: ${status}; remaining ${formatMoney(updated.amount_remaining, updated.currency, locale)}.`
            : `${spec.done} Status: ${status}.`,
      });
    } else {
      setResult({ ok: false, message: `${spec.label} failed: ${errorText(outcome.error)}` });
    }
    setConfirming(null);
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
          title={`${confirming.label}: ${name}`}
          description={confirming.question}
          actions={
            <Box css={{ stack: 'x', gap: 'small' }}>
              <Button
                type={confirming.destructive ? 'destructive' : 'primary'}
                pending={action.busy}
                disabled={action.busy}
                onPress={run}
              >
                Confirm
              </Button>
              <Button disabled={action.busy} onPress={() => setConfirming(null)}>
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
              type={a.destructive ? 'destructive' : a.action === 'retry' && invoiceStatusKey(invoice) === 'failed' ? 'primary' : 'secondary'}
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
