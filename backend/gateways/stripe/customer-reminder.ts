// Customer reminders: Stripe emails the invoice again (invoices.sendInvoice), with Stripe's
// refusals classified as worth retrying or not.
import type { DeliveryOutcome, DueNotification } from '../../domain/notifications.js';

/**
 * The part of the Stripe client customer reminders use: stripe.invoices.sendInvoice. A Stripe instance
 * fits it; tests pass a stand-in.
 */
export interface InvoiceReminderClient {
  invoices: {
    sendInvoice(
      id: string,
      params: Record<string, never>,
      options: { stripeAccount: string; idempotencyKey: string },
    ): Promise<unknown>;
  };
}

/** One reminder client per mode (the app's per-mode Stripe clients fit); null: no mode has a key. */
export type InvoiceReminderClients = Record<'live' | 'test', InvoiceReminderClient | null>;

/** Stripe errors worth retrying: no answer, rate limit, lock conflicts, server errors. */
function retryableStripeError(err: unknown): boolean {
  const status = (err as { statusCode?: number }).statusCode;
  return status === undefined || status === 409 || status === 429 || status >= 500;
}

export async function sendCustomerReminder(
  n: DueNotification,
  clients: InvoiceReminderClients | null,
): Promise<DeliveryOutcome> {
  if (n.gateway !== 'stripe') return { result: 'cancelled', error: 'customer reminders exist only for Stripe invoices' };
  const mode = n.livemode ? 'live' : 'test';
  const stripe = clients?.[mode] ?? null;
  if (!stripe) {
    return {
      result: 'error',
      error: `customer reminder not sent: no Stripe key for ${mode} mode (STRIPE_SECRET_KEY)`,
      statusCode: null,
      permanent: true,
    };
  }
  try {
    await stripe.invoices.sendInvoice(
      n.external_id,
      {},
      { stripeAccount: n.account_id, idempotencyKey: `past-due-reminder-${n.id}` },
    );
    return { result: 'delivered', statusCode: 200 };
  } catch (err) {
    const e = err as { message?: string; statusCode?: number };
    return {
      result: 'error',
      error: `Stripe refused the reminder: ${e.message ?? String(err)}`,
      statusCode: e.statusCode ?? null,
      permanent: !retryableStripeError(err),
    };
  }
}
