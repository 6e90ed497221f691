-- Performance at scale (measured with npm run bench: 1M invoices, 3M events).

-- Stats without a tenant filter read a daily rollup instead of every invoice: per account, mode,
-- UTC day of created_at and currency, the figures of GET /api/stats (deleted drafts left out).
-- Rows are split by `shard` (the writer's backend pid mod 16) so concurrent webhooks for the same
-- day and currency do not queue on one row; readers sum the shards. The trigger is deferred to
-- commit, so the row lock is held only while the transaction commits.
CREATE TABLE invoice_daily_totals (
  account_id     text NOT NULL,
  livemode       boolean NOT NULL,
  day            date NOT NULL,
  currency       text NOT NULL,
  shard          smallint NOT NULL,
  invoice_count  bigint NOT NULL DEFAULT 0,
  -- paid invoices: a currency with only zero-amount paid invoices still has a revenue series
  paid_count     bigint NOT NULL DEFAULT 0,
  revenue        bigint NOT NULL DEFAULT 0,
  refunded       bigint NOT NULL DEFAULT 0,
  pending        bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, livemode, day, currency, shard)
);

CREATE FUNCTION invoice_daily_totals_add(r invoices, sign integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO invoice_daily_totals AS d (account_id, livemode, day, currency, shard, invoice_count, paid_count, revenue, refunded,
                                          pending)
  VALUES (r.account_id, r.livemode, (r.created_at AT TIME ZONE 'UTC')::date, r.currency, pg_backend_pid() % 16,
          sign, sign * (r.status = 'paid')::integer, sign * CASE WHEN r.status = 'paid' THEN r.amount_paid ELSE 0 END, sign * r.amount_refunded,
          sign * CASE WHEN r.status = 'open' THEN r.amount_remaining ELSE 0 END)
  ON CONFLICT (account_id, livemode, day, currency, shard) DO UPDATE SET
    invoice_count = d.invoice_count + EXCLUDED.invoice_count, paid_count = d.paid_count + EXCLUDED.paid_count,
    revenue = d.revenue + EXCLUDED.revenue,
    refunded = d.refunded + EXCLUDED.refunded, pending = d.pending + EXCLUDED.pending
$$;

CREATE FUNCTION invoice_daily_totals_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND NOT OLD.deleted THEN
    PERFORM invoice_daily_totals_add(OLD, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NOT NEW.deleted THEN
    PERFORM invoice_daily_totals_add(NEW, 1);
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER invoices_daily_totals_insert_delete AFTER INSERT OR DELETE ON invoices
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION invoice_daily_totals_track();
-- Only changes of what the rollup counts queue a trigger (the past-due scan touches none of them).
CREATE CONSTRAINT TRIGGER invoices_daily_totals_update AFTER UPDATE ON invoices
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.livemode IS DISTINCT FROM NEW.livemode
     OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.currency IS DISTINCT FROM NEW.currency
     OR OLD.status IS DISTINCT FROM NEW.status OR OLD.amount_paid IS DISTINCT FROM NEW.amount_paid
     OR OLD.amount_refunded IS DISTINCT FROM NEW.amount_refunded
     OR OLD.amount_remaining IS DISTINCT FROM NEW.amount_remaining OR OLD.deleted IS DISTINCT FROM NEW.deleted)
  EXECUTE FUNCTION invoice_daily_totals_track();

INSERT INTO invoice_daily_totals (account_id, livemode, day, currency, shard, invoice_count, paid_count, revenue, refunded,
                                  pending)
SELECT account_id, livemode, (created_at AT TIME ZONE 'UTC')::date, currency, 0, count(*), count(*) FILTER (WHERE status = 'paid'),
  COALESCE(sum(amount_paid) FILTER (WHERE status = 'paid'), 0), COALESCE(sum(amount_refunded), 0),
  COALESCE(sum(amount_remaining) FILTER (WHERE status = 'open'), 0)
FROM invoices WHERE NOT deleted
GROUP BY 1, 2, 3, 4;

-- Invoice search (q: number, Stripe/PayPal id, customer id, anywhere in the text): a trigram index
-- over the three, where pg_trgm is available (the embedded engine loads no extensions: it scans).
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm unavailable (%): invoice search scans', SQLERRM;
END $$;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX invoices_search ON invoices USING gin (
      (lower(COALESCE(number, '') || ' ' || external_id || ' ' || COALESCE(customer_id, ''))) gin_trgm_ops);
  END IF;
END $$;

-- Past-due aging and list: only the open past-due invoices of an account, oldest first.
CREATE INDEX invoices_past_due_aging ON invoices (account_id, livemode, (LEAST(due_date, past_due_since)), id)
  INCLUDE (currency, amount_remaining, tenant_id, due_date, past_due_since)
  WHERE past_due AND status = 'open' AND NOT deleted;
