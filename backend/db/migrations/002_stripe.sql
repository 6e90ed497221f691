-- Gateway customers (their metadata resolves tenants) and what Stripe refunds need to find
-- the invoice they belong to.

-- A customer as the gateway last described it. Newer sources win (source_time, then event id).
CREATE TABLE gateway_customers (
  account_id       text NOT NULL REFERENCES accounts (id),
  livemode         boolean NOT NULL,
  gateway          text NOT NULL CHECK (gateway IN ('stripe', 'paypal')),
  external_id      text NOT NULL,
  email            text,
  name             text,
  metadata         jsonb NOT NULL DEFAULT '{}',
  deleted          boolean NOT NULL DEFAULT false,
  source_time      timestamptz NOT NULL,
  source_event_id  text,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, livemode, gateway, external_id)
);

-- Which invoice a payment pays: a PaymentIntent (pi_…) or a Charge (ch_…) id -> the invoice's
-- Stripe id. Filled from invoice payloads (old: invoice.charge / invoice.payment_intent; new:
-- invoice.payments), invoice_payment.paid, and old-shape charges that carry charge.invoice.
CREATE TABLE stripe_invoice_payments (
  account_id           text NOT NULL REFERENCES accounts (id),
  livemode             boolean NOT NULL,
  payment_ref          text NOT NULL,
  invoice_external_id  text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, livemode, payment_ref)
);
CREATE INDEX stripe_invoice_payments_invoice ON stripe_invoice_payments (account_id, livemode, invoice_external_id);

-- The refunded total of a charge as charge.refunded last reported it (cumulative).
CREATE TABLE stripe_charge_refunds (
  account_id         text NOT NULL REFERENCES accounts (id),
  livemode           boolean NOT NULL,
  charge_id          text NOT NULL,
  payment_intent_id  text,
  amount_refunded    bigint NOT NULL CHECK (amount_refunded >= 0),
  currency           text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  source_time        timestamptz NOT NULL,
  source_event_id    text,
  PRIMARY KEY (account_id, livemode, charge_id)
);
CREATE INDEX stripe_charge_refunds_pi ON stripe_charge_refunds (account_id, livemode, payment_intent_id);

-- Single refunds (refund.created / refund.updated, or listed on a charge).
CREATE TABLE stripe_refunds (
  account_id         text NOT NULL REFERENCES accounts (id),
  livemode           boolean NOT NULL,
  refund_id          text NOT NULL,
  charge_id          text,
  payment_intent_id  text,
  amount             bigint NOT NULL CHECK (amount >= 0),
  currency           text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  status             text,
  source_time        timestamptz NOT NULL,
  source_event_id    text,
  PRIMARY KEY (account_id, livemode, refund_id)
);
CREATE INDEX stripe_refunds_charge ON stripe_refunds (account_id, livemode, charge_id);
CREATE INDEX stripe_refunds_pi ON stripe_refunds (account_id, livemode, payment_intent_id);
