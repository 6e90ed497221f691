-- PayPal: the latest known state of each subscription (or legacy billing agreement), and the
-- refunds of sales and captures. Sales, captures and PayPal invoices are ledger invoices keyed by
-- their own PayPal id (invoices.external_id); a subscription's unpaid balance after a failed
-- payment is a ledger invoice '<subscription id>:outstanding' ('…:outstanding:<n>' for later cycles).

CREATE TABLE paypal_subscriptions (
  account_id             text NOT NULL REFERENCES accounts (id),
  livemode               boolean NOT NULL,
  subscription_id        text NOT NULL,
  legacy                 boolean NOT NULL DEFAULT false,
  status                 text NOT NULL,
  plan_id                text,
  payer_id               text,
  custom_id              text,
  tenant_id              uuid REFERENCES tenants (id) ON DELETE SET NULL,
  outstanding_amount     bigint,
  outstanding_currency   text CHECK (outstanding_currency ~ '^[a-z]{3}$'),
  failed_payments_count  integer NOT NULL DEFAULT 0,
  -- Ordering guard: newest update_time / status_update_time applied, event id as the tie-break.
  state_time             timestamptz NOT NULL,
  source_event_id        text NOT NULL,
  -- Which outstanding-balance invoice is current (0: none yet).
  outstanding_cycle      integer NOT NULL DEFAULT 0,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, livemode, subscription_id)
);
CREATE INDEX paypal_subscriptions_payer ON paypal_subscriptions (account_id, livemode, payer_id);

-- One row per refund (or reversal): the refunded total of a payment is their sum, so a refund
-- delivered twice or before its sale still counts once.
CREATE TABLE paypal_refunds (
  account_id   text NOT NULL REFERENCES accounts (id),
  livemode     boolean NOT NULL,
  refund_id    text NOT NULL,
  payment_id   text NOT NULL,
  currency     text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  amount       bigint NOT NULL CHECK (amount >= 0),
  refunded_at  timestamptz NOT NULL,
  PRIMARY KEY (account_id, livemode, refund_id)
);
CREATE INDEX paypal_refunds_payment ON paypal_refunds (account_id, livemode, payment_id);
