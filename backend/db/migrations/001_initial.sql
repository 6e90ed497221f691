-- Accounts are the installing Stripe accounts; every other row carries account_id + livemode.

CREATE TABLE accounts (
  id              text PRIMARY KEY,
  created_at      timestamptz NOT NULL DEFAULT now(),
  installed_at    timestamptz,
  uninstalled_at  timestamptz
);

CREATE TABLE account_settings (
  account_id           text NOT NULL REFERENCES accounts (id),
  livemode             boolean NOT NULL,
  paypal_webhook_id    text,
  tenant_metadata_key  text,
  notify_url           text,
  past_due_grace_days  integer NOT NULL DEFAULT 0 CHECK (past_due_grace_days BETWEEN 0 AND 365),
  reminder_steps       integer[] NOT NULL DEFAULT '{0,7,30}',
  notify_secret        text NOT NULL DEFAULT md5(random()::text || clock_timestamp()::text),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, livemode)
);

CREATE TABLE tenants (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id         text NOT NULL REFERENCES accounts (id),
  livemode           boolean NOT NULL,
  name               text NOT NULL,
  external_ref       text,
  customer_reminders boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, livemode, external_ref)
);
CREATE INDEX tenants_list ON tenants (account_id, livemode, created_at DESC, id DESC);
CREATE INDEX tenants_name ON tenants (account_id, livemode, lower(name));

-- A gateway identity (Stripe customer, PayPal subscription or payer) belongs to one tenant.
CREATE TABLE tenant_links (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id   text NOT NULL,
  livemode     boolean NOT NULL,
  tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  gateway      text NOT NULL CHECK (gateway IN ('stripe', 'paypal')),
  external_id  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, livemode, gateway, external_id)
);
CREATE INDEX tenant_links_tenant ON tenant_links (tenant_id);

CREATE TABLE invoices (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id         text NOT NULL REFERENCES accounts (id),
  livemode           boolean NOT NULL,
  gateway            text NOT NULL CHECK (gateway IN ('stripe', 'paypal')),
  external_id        text NOT NULL,
  number             text,
  tenant_id          uuid REFERENCES tenants (id) ON DELETE SET NULL,
  customer_id        text,
  subscription_id    text,
  currency           text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  total              bigint NOT NULL DEFAULT 0,
  tax                bigint NOT NULL DEFAULT 0,
  amount_due         bigint NOT NULL DEFAULT 0,
  amount_paid        bigint NOT NULL DEFAULT 0,
  amount_remaining   bigint NOT NULL DEFAULT 0,
  amount_refunded    bigint NOT NULL DEFAULT 0,
  status             text NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'uncollectible', 'void')),
  past_due           boolean NOT NULL DEFAULT false,
  past_due_since     timestamptz,
  payment_failed     boolean NOT NULL DEFAULT false,
  collection_method  text,
  attempt_count      integer NOT NULL DEFAULT 0,
  due_date           timestamptz,
  hosted_url         text,
  pdf_url            text,
  deleted            boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL,
  -- Ordering guard: the time (and event id, for ties) of the newest source applied.
  source_time        timestamptz NOT NULL,
  source_event_id    text,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, livemode, gateway, external_id)
);
-- Newest first with keyset pagination, and the list filters of the contract.
CREATE INDEX invoices_list ON invoices (account_id, livemode, created_at DESC, id DESC);
CREATE INDEX invoices_tenant ON invoices (account_id, livemode, tenant_id, created_at DESC, id DESC);
CREATE INDEX invoices_status ON invoices (account_id, livemode, status, created_at DESC, id DESC);
CREATE INDEX invoices_past_due ON invoices (account_id, livemode, created_at DESC, id DESC) WHERE past_due;
CREATE INDEX invoices_customer ON invoices (account_id, livemode, customer_id);
CREATE INDEX invoices_subscription ON invoices (account_id, livemode, subscription_id);
CREATE INDEX invoices_open_due ON invoices (due_date) WHERE status = 'open';

CREATE TABLE invoice_history (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id   text NOT NULL,
  livemode     boolean NOT NULL,
  invoice_id   uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
  from_status  text,
  to_status    text NOT NULL,
  at           timestamptz NOT NULL,
  -- 'event:<id>', 'user:<id>' or 'job:<name>'
  source       text NOT NULL,
  note         text
);
CREATE INDEX invoice_history_invoice ON invoice_history (invoice_id, at, id);

CREATE TABLE payment_events (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id   text NOT NULL REFERENCES accounts (id),
  livemode     boolean NOT NULL,
  gateway      text NOT NULL CHECK (gateway IN ('stripe', 'paypal')),
  event_id     text NOT NULL,
  type         text NOT NULL,
  object_id    text,
  tenant_id    uuid REFERENCES tenants (id) ON DELETE SET NULL,
  invoice_id   uuid REFERENCES invoices (id) ON DELETE SET NULL,
  customer_id  text,
  processed    boolean NOT NULL DEFAULT false,
  ignored      boolean NOT NULL DEFAULT false,
  error        text,
  payload      jsonb NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  occurred_at  timestamptz NOT NULL,
  processed_at timestamptz,
  UNIQUE (account_id, gateway, event_id)
);
CREATE INDEX payment_events_list ON payment_events (account_id, livemode, occurred_at DESC, id DESC);
CREATE INDEX payment_events_tenant ON payment_events (account_id, livemode, tenant_id, occurred_at DESC, id DESC);
CREATE INDEX payment_events_type ON payment_events (account_id, livemode, type, occurred_at DESC, id DESC);
CREATE INDEX payment_events_failed ON payment_events (account_id, livemode, occurred_at DESC, id DESC) WHERE NOT processed;
CREATE INDEX payment_events_invoice ON payment_events (invoice_id);
CREATE INDEX payment_events_customer ON payment_events (account_id, livemode, customer_id);

CREATE TABLE notifications (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id    text NOT NULL,
  livemode      boolean NOT NULL,
  invoice_id    uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('admin', 'customer')),
  step          integer NOT NULL,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts      integer NOT NULL DEFAULT 0,
  last_error    text,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  delivered_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, livemode, invoice_id, kind, step)
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending';

CREATE TABLE admin_actions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id   text NOT NULL,
  livemode     boolean NOT NULL,
  user_id      text NOT NULL,
  action       text NOT NULL,
  invoice_id   uuid REFERENCES invoices (id) ON DELETE SET NULL,
  target       text,
  outcome      text NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
  detail       jsonb,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX admin_actions_list ON admin_actions (account_id, livemode, created_at DESC, id DESC);
