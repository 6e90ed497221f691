-- Stripe backfill runs: state, progress counts and the saved cursor a crashed run resumes from.

CREATE TABLE sync_runs (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- creation order: "latest run" must not depend on clock ties
  seq           bigint GENERATED ALWAYS AS IDENTITY,
  account_id    text NOT NULL REFERENCES accounts (id),
  livemode      boolean NOT NULL,
  state         text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'succeeded', 'failed')),
  -- what is being paged: customers first, then invoices
  phase         text NOT NULL DEFAULT 'customers' CHECK (phase IN ('customers', 'invoices', 'done')),
  -- id of the last object applied in this phase (Stripe's starting_after); null = from the start
  cursor        text,
  customers     integer NOT NULL DEFAULT 0,
  invoices      integer NOT NULL DEFAULT 0,
  pages         integer NOT NULL DEFAULT 0,
  -- failed API attempts (rate limited, server errors, network), retried or not
  errors        integer NOT NULL DEFAULT 0,
  error         text,
  -- the unfinished run whose cursor and counts this one continued
  resumed_from  uuid REFERENCES sync_runs (id),
  started_at    timestamptz NOT NULL,
  -- last sign of life; a running run without one for a while is taken over (its process died)
  heartbeat_at  timestamptz NOT NULL,
  finished_at   timestamptz
);
-- One run per account and mode at a time.
CREATE UNIQUE INDEX sync_runs_one_running ON sync_runs (account_id, livemode) WHERE state = 'running';
CREATE INDEX sync_runs_latest ON sync_runs (account_id, livemode, seq DESC);
