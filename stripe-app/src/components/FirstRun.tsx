// The invoice list's first-run state (no invoices at all, no filters set): where to point Stripe's
// and PayPal's webhooks, and an import of what Stripe already has. The full page's list renders it
// in place of an empty table.
import { Box, TextField } from '@stripe/ui-extension-sdk/ui';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import { backendUrl, type ApiClient } from '../api/client';
import { StripeImport } from './StripeImport';

/** The webhook URLs of this backend for the account, or null when the manifest lacks BACKEND_URL. */
export function webhookUrls(environment: ExtensionContextValue['environment'], accountId: string) {
  try {
    const base = backendUrl(environment);
    return { stripe: `${base}/webhooks/stripe`, paypal: `${base}/webhooks/paypal/${accountId}` };
  } catch {
    return null;
  }
}

export function FirstRun({
  api,
  environment,
  accountId,
  locale,
  onImported,
}: {
  api: ApiClient;
  environment: ExtensionContextValue['environment'];
  accountId: string;
  locale: string;
  /** called when an import started here has finished (re-read the list and the cards) */
  onImported?: () => void;
}) {
  const urls = webhookUrls(environment, accountId);
  const mode = environment.mode === 'live' ? 'live' : 'test';
  return (
    <Box css={{ stack: 'y', gap: 'large', padding: 'large', borderRadius: 'medium', backgroundColor: 'container' }}>
      <Box css={{ stack: 'y', gap: 'xsmall' }}>
        <Box css={{ font: 'heading' }}>No invoices yet</Box>
        <Box css={{ color: 'secondary' }}>
          Invoices appear here as Stripe and PayPal send their webhooks to this app&apos;s backend. Connect them once, and
          import what Stripe already has ({mode} mode).
        </Box>
      </Box>
      {urls ? (
        <Box css={{ stack: 'y', gap: 'medium' }}>
          <TextField
            label="1. Stripe webhook URL"
            description="In Stripe: Developers → Webhooks → Add endpoint with this URL (invoice, charge, customer and checkout events)."
            value={urls.stripe}
            readOnly
          />
          <TextField
            label="2. PayPal webhook URL"
            description="In PayPal's developer dashboard: add a webhook with this URL, then paste its webhook id in this app's settings."
            value={urls.paypal}
            readOnly
          />
        </Box>
      ) : (
        <Box css={{ color: 'critical' }}>The app&apos;s manifest has no BACKEND_URL constant, so no webhook URL can be shown.</Box>
      )}
      <Box css={{ stack: 'y', gap: 'small' }}>
        <Box css={{ font: 'subheading' }}>3. Import from Stripe</Box>
        <Box css={{ color: 'secondary' }}>Loads the account&apos;s existing Stripe customers and invoices into the ledger.</Box>
        <StripeImport api={api} locale={locale} onFinished={onImported} />
      </Box>
    </Box>
  );
}
