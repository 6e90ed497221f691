-- Why the latest automatic payment of an invoice failed, as the gateway said it (a Stripe
-- charge's failure message or the PaymentIntent's last_payment_error, a PayPal reason), for the
-- Failed state's banner. Written by the failure events themselves, never by an invoice snapshot,
-- so a newer snapshot of the invoice keeps it.
ALTER TABLE invoices ADD COLUMN last_payment_error text;
