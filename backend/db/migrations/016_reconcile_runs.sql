-- Reconciliation of missed events (issue 15): each run pages the gateway's event list of one
-- account and mode from a watermark and stores the events the service never received. A run row
-- is also the lease: one running run per account and mode (the unique index), taken over when its
-- heartbeat is older than the lease (its process died). Keyed by account first (Citus rule).
CREATE TABLE reconcile_runs (
  account_id       text NOT NULL REFERENCES accounts (id),
  livemode         boolean NOT NULL,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  -- 'schedule' (RECONCILE_SCHEDULE) or 'manual' (POST /api/reconcile)
  trigger          text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  state            text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'succeeded', 'failed')),
  -- the created[gt] bound the run asked Stripe for
  since            timestamptz NOT NULL,
  -- newest event `created` covered by a succeeded run (the next run starts from it); null otherwise
  watermark        timestamptz,
  -- Stripe events of handled types listed in the window, and how many of them were newly stored
  events_seen      integer NOT NULL DEFAULT 0,
  events_repaired  integer NOT NULL DEFAULT 0,
  pages            integer NOT NULL DEFAULT 0,
  -- failed API attempts (retried or not)
  errors           integer NOT NULL DEFAULT 0,
  error            text,
  -- PayPal is reconciled only with PayPal API credentials, which accounts cannot configure yet
  paypal_status    text NOT NULL DEFAULT 'not_reconciled' CHECK (paypal_status IN ('reconciled', 'not_reconciled')),
  paypal_note      text,
  started_at       timestamptz NOT NULL,
  heartbeat_at     timestamptz NOT NULL,
  finished_at      timestamptz,
  PRIMARY KEY (account_id, livemode, id)
);
CREATE UNIQUE INDEX reconcile_runs_one_running ON reconcile_runs (account_id, livemode) WHERE state = 'running';
CREATE INDEX reconcile_runs_latest ON reconcile_runs (account_id, livemode, started_at DESC, id DESC);
