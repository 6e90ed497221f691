// PayPal's side of reconciliation. PayPal lists the webhook events it sent (GET
// /v1/notifications/webhooks-events, 30 days) only to an OAuth client of the account (client id
// and secret). The service has no place for an account's PayPal API credentials (PayPal webhooks
// are verified offline with the webhook id alone), so PayPal is not reconciled: every run and the
// API answer say so, and the app shows it. When credentials can be configured, this is where the
// listing goes; the run record already carries a PayPal status.
export const PAYPAL_NOT_RECONCILED = 'not reconciled (no PayPal API credentials)';

export interface PaypalReconciliation {
  status: 'reconciled' | 'not_reconciled';
  note: string | null;
}

/** What a run does for PayPal: for now, always that it cannot reconcile, and why. */
export function paypalReconciliation(): PaypalReconciliation {
  return { status: 'not_reconciled', note: PAYPAL_NOT_RECONCILED };
}
