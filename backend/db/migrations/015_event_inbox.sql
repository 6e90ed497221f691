-- Issue 15: the webhook request stores the event (state 'pending') and answers; an applier applies
-- pending events in batches (jobs/applier.ts). `processed` / `ignored` / `error` stay as the API
-- reads them: processed = state IN ('processed', 'ignored').
ALTER TABLE payment_events ADD COLUMN state text NOT NULL DEFAULT 'pending'
  CHECK (state IN ('pending', 'processed', 'ignored', 'failed'));
-- failed application attempts so far; next_attempt_at is NULL until the first failure (ready now)
ALTER TABLE payment_events ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE payment_events ADD COLUMN next_attempt_at timestamptz;

-- Events stored before the inbox were processed in their request: a failure there was left for replay.
UPDATE payment_events SET state = CASE
    WHEN processed AND ignored THEN 'ignored'
    WHEN processed THEN 'processed'
    WHEN error IS NOT NULL THEN 'failed'
    ELSE 'pending' END,
  attempts = CASE WHEN NOT processed AND error IS NOT NULL THEN 1 ELSE 0 END;

-- Claiming: the pending events in order of occurrence (FOR UPDATE SKIP LOCKED), and the accounts
-- that have some. The index holds only the backlog, so it stays small however large the log grows;
-- next_attempt_at (a retry's backoff) is filtered on the few rows read. Also serves the backlog
-- figures of /readyz.
CREATE INDEX payment_events_pending ON payment_events (occurred_at, id) INCLUDE (account_id, next_attempt_at, received_at)
  WHERE state = 'pending';

-- Statement-level rollups: the per-row deferred triggers of 008 ran one upsert of
-- invoice_daily_totals per changed invoice; a batch of many invoices now makes one upsert per
-- (account, mode, day, currency) from the statement's transition tables. Rows are still split by
-- `shard` (the writer's backend pid mod 16) so concurrent writers rarely wait on one row, and are
-- written in key order so two statements never lock them in opposite orders.
DROP TRIGGER invoices_daily_totals_insert_delete ON invoices;
DROP TRIGGER invoices_daily_totals_update ON invoices;

-- Adds (sign 1) the rows of `added` and subtracts (sign -1) those of `removed`, by rollup key.
CREATE FUNCTION invoice_daily_totals_apply(added invoices[], removed invoices[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO invoice_daily_totals AS d (account_id, livemode, day, currency, shard, invoice_count, paid_count, revenue,
                                          refunded, pending)
  SELECT account_id, livemode, (created_at AT TIME ZONE 'UTC')::date, currency, pg_backend_pid() % 16, sum(sign),
    sum(sign * (status = 'paid')::integer), sum(sign * CASE WHEN status = 'paid' THEN amount_paid ELSE 0 END),
    sum(sign * amount_refunded), sum(sign * CASE WHEN status = 'open' THEN amount_remaining ELSE 0 END)
  FROM (
    SELECT r.*, 1 AS sign FROM unnest(added) AS r
    UNION ALL
    SELECT r.*, -1 AS sign FROM unnest(removed) AS r
  ) x
  WHERE NOT deleted
  GROUP BY account_id, livemode, (created_at AT TIME ZONE 'UTC')::date, currency
  HAVING sum(sign) <> 0 OR sum(sign * (status = 'paid')::integer) <> 0
    OR sum(sign * CASE WHEN status = 'paid' THEN amount_paid ELSE 0 END) <> 0 OR sum(sign * amount_refunded) <> 0
    OR sum(sign * CASE WHEN status = 'open' THEN amount_remaining ELSE 0 END) <> 0
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (account_id, livemode, day, currency, shard) DO UPDATE SET
    invoice_count = d.invoice_count + EXCLUDED.invoice_count, paid_count = d.paid_count + EXCLUDED.paid_count,
    revenue = d.revenue + EXCLUDED.revenue, refunded = d.refunded + EXCLUDED.refunded,
    pending = d.pending + EXCLUDED.pending
$$;

CREATE FUNCTION invoice_daily_totals_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM invoice_daily_totals_apply(ARRAY(SELECT n::invoices FROM new_rows n), '{}');
  RETURN NULL;
END $$;

CREATE FUNCTION invoice_daily_totals_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only rows whose counted figures changed (the past-due scan changes none of them).
  PERFORM invoice_daily_totals_apply(
    ARRAY(SELECT n::invoices FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE (o.account_id, o.livemode, o.created_at, o.currency, o.status, o.amount_paid, o.amount_refunded,
                 o.amount_remaining, o.deleted)
             IS DISTINCT FROM (n.account_id, n.livemode, n.created_at, n.currency, n.status, n.amount_paid,
                 n.amount_refunded, n.amount_remaining, n.deleted)),
    ARRAY(SELECT o::invoices FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE (o.account_id, o.livemode, o.created_at, o.currency, o.status, o.amount_paid, o.amount_refunded,
                 o.amount_remaining, o.deleted)
             IS DISTINCT FROM (n.account_id, n.livemode, n.created_at, n.currency, n.status, n.amount_paid,
                 n.amount_refunded, n.amount_remaining, n.deleted)));
  RETURN NULL;
END $$;

CREATE FUNCTION invoice_daily_totals_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM invoice_daily_totals_apply('{}', ARRAY(SELECT o::invoices FROM old_rows o));
  RETURN NULL;
END $$;

CREATE TRIGGER invoices_daily_totals_insert AFTER INSERT ON invoices
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_daily_totals_inserted();
CREATE TRIGGER invoices_daily_totals_update AFTER UPDATE ON invoices
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_daily_totals_updated();
CREATE TRIGGER invoices_daily_totals_delete AFTER DELETE ON invoices
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_daily_totals_deleted();

-- 014's paid_at / closed_at trigger stays per row: it is a BEFORE trigger that only assigns columns of
-- the row being written (no statement of its own), and fires only when status or payment_failed change.
