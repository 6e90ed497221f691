// The Stripe App permission each handled event type needs (Stripe's permissions reference, "Event
// permissions": an event needs read access to the object it carries). Typed by HandledType, so a
// new handler does not compile until its permission is named here; test/stripe-app/manifest.test.ts
// checks stripe-app.json requests every one.
import type { HandledType } from './handlers.js';

/** `null`: Stripe sends the event to every app without a permission. */
export const eventPermissions: { readonly [T in HandledType]: string | null } = {
  'invoice.created': 'invoice_read',
  'invoice.finalized': 'invoice_read',
  'invoice.updated': 'invoice_read',
  'invoice.sent': 'invoice_read',
  'invoice.paid': 'invoice_read',
  'invoice.payment_succeeded': 'invoice_read',
  'invoice.payment_failed': 'invoice_read',
  'invoice.voided': 'invoice_read',
  'invoice.marked_uncollectible': 'invoice_read',
  'invoice.deleted': 'invoice_read',
  'invoice.overdue': 'invoice_read',
  // an InvoicePayment belongs to its invoice
  'invoice_payment.paid': 'invoice_read',
  'charge.refunded': 'charge_read',
  'charge.failed': 'charge_read',
  // refunds come under charges (the manifest schema has no refund_* permission)
  'refund.created': 'charge_read',
  'refund.updated': 'charge_read',
  'checkout.session.completed': 'checkout_session_read',
  'customer.subscription.created': 'subscription_read',
  'customer.subscription.updated': 'subscription_read',
  'customer.subscription.deleted': 'subscription_read',
  'customer.created': 'customer_read',
  'customer.updated': 'customer_read',
  'customer.deleted': 'customer_read',
  // the app's own install and uninstall on the account
  'account.application.authorized': null,
  'account.application.deauthorized': null,
};
