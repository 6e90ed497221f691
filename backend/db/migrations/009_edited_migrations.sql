-- 006 and 008 were edited after they were first committed: a database that applied their first
-- text lacks the indexes added by those edits. This brings it to the state of one that applied the
-- final text; on that one every statement is a no-op (IF NOT EXISTS). Applied migrations are
-- never edited; changes go in a new file like this one.

-- From 006 (past-due scan candidates).
CREATE INDEX IF NOT EXISTS invoices_due_not_past_due ON invoices (due_date) WHERE status = 'open' AND NOT past_due;
CREATE INDEX IF NOT EXISTS invoices_past_due_by_due ON invoices (due_date)
  WHERE past_due AND status = 'open' AND NOT payment_failed;

-- From 008: invoice search trigram index (where pg_trgm is available) and the past-due aging index.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm unavailable (%): invoice search scans', SQLERRM;
END $$;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX IF NOT EXISTS invoices_search ON invoices USING gin (
      (lower(COALESCE(number, '') || ' ' || external_id || ' ' || COALESCE(customer_id, ''))) gin_trgm_ops);
  END IF;
END $$;

CREATE INDEX IF NOT EXISTS invoices_past_due_aging ON invoices (account_id, livemode, (LEAST(due_date, past_due_since)), id)
  INCLUDE (currency, amount_remaining, tenant_id, due_date, past_due_since)
  WHERE past_due AND status = 'open' AND NOT deleted;
