-- Issue 16, part 2: bulk invoice actions, the daily digest, per-tenant reminder escalation.

-- Bulk actions: the result of each invoice of an applied bulk request, keyed by the per-invoice
-- idempotency key (derived from the request's Idempotency-Key, the action and the invoice), so a
-- repeated request answers what was applied instead of acting again.
CREATE TABLE bulk_action_results (
  account_id       text NOT NULL,
  livemode         boolean NOT NULL,
  idempotency_key  text NOT NULL,
  invoice_id       uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
  action           text NOT NULL,
  user_id          text NOT NULL,
  -- the invoice's status in Stripe's answer
  result_status    text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, livemode, idempotency_key)
);

-- Daily digest: opt-in per account+mode, and one row per account+mode+UTC day (the unique key is
-- what makes it one message a day however many instances scan). The content is computed once,
-- when the row is claimed, so a retried delivery sends the same message.
ALTER TABLE account_settings ADD COLUMN digest_enabled boolean NOT NULL DEFAULT false;

CREATE TABLE digests (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id       text NOT NULL,
  livemode         boolean NOT NULL,
  day              date NOT NULL,
  period_start     timestamptz NOT NULL,
  period_end       timestamptz NOT NULL,
  payload          jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  last_status_code integer,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, livemode, day)
);
CREATE INDEX digests_due ON digests (next_attempt_at) WHERE status = 'pending';
CREATE INDEX digests_latest ON digests (account_id, livemode, period_end DESC);

-- Per-tenant reminder escalation: [{ "days": 3, "tone": "friendly" }, …] sorted by days; NULL means
-- the account's reminder_steps with tones friendly, firm, final by position.
ALTER TABLE tenants ADD COLUMN reminder_steps jsonb;
