-- Past-due tracking: scheduled job state (one scan at a time across instances) and the record of
-- every notification delivery attempt.

-- One row per job (and per account+mode for an admin's on-demand scan). A run claims the row with
-- a lease (locked_until, database time) so that exactly one instance runs it; a crashed run's lease
-- simply expires. last_as_of is the clock time the last completed run looked at (catch-up check).
CREATE TABLE job_runs (
  name          text PRIMARY KEY,
  locked_until  timestamptz,
  locked_by     text,
  started_at    timestamptz,
  finished_at   timestamptz,
  last_as_of    timestamptz,
  last_summary  jsonb
);

CREATE TABLE notification_attempts (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  notification_id  uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  account_id       text NOT NULL,
  livemode         boolean NOT NULL,
  attempt          integer NOT NULL,
  at               timestamptz NOT NULL,
  ok               boolean NOT NULL,
  status_code      integer,
  error            text,
  duration_ms      integer NOT NULL
);
CREATE INDEX notification_attempts_notification ON notification_attempts (notification_id, attempt);

-- A pending notification whose invoice left past due before delivery is cancelled, not sent.
ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check
  CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled'));
ALTER TABLE notifications ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX notifications_scope_due ON notifications (account_id, livemode, next_attempt_at) WHERE status = 'pending';

-- The scan's candidates, so a daily scan reads only what may change, not every open invoice:
-- open invoices not yet past due by due date, ones whose payment failed, and past-due ones by due
-- date (for a due date moved later). A row leaves these indexes as it changes state.
CREATE INDEX invoices_due_not_past_due ON invoices (due_date) WHERE status = 'open' AND NOT past_due;
CREATE INDEX invoices_failed_not_past_due ON invoices (account_id, livemode) WHERE status = 'open' AND payment_failed AND NOT past_due;
CREATE INDEX invoices_past_due_by_due ON invoices (due_date) WHERE past_due AND status = 'open' AND NOT payment_failed;
