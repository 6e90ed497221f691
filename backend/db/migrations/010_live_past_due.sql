-- Past due and Failed are derived when read (issue 12), from the invoice's stored facts, the clock
-- and the account's past_due_grace_days; the stored past_due flag is only the scan's record of
-- what it already reported. Reads filter on status = 'open', due_date, payment_failed and
-- payment_failed_at, so those get partial indexes over the open invoices of an account.

-- When the current run of failed payments began (the first failure since the invoice last had
-- none): days past due of a failed invoice without a due date count from it. NULL when not failed.
ALTER TABLE invoices ADD COLUMN payment_failed_at timestamptz;
UPDATE invoices SET payment_failed_at = COALESCE(past_due_since, source_time)
WHERE payment_failed AND status = 'open';

-- Aging and the past-due list (GET /api/past-due): the open invoices of an account, longest
-- overdue first; everything the aging sums is in the index (index-only scan, past-due filter on
-- the included columns).
CREATE INDEX invoices_open_since ON invoices (account_id, livemode, (LEAST(due_date, payment_failed_at)), id)
  INCLUDE (currency, amount_remaining, tenant_id, due_date, payment_failed, payment_failed_at)
  WHERE status = 'open' AND NOT deleted;

-- status=failed, newest first (few rows: the list never walks the other open invoices).
CREATE INDEX invoices_failed_list ON invoices (account_id, livemode, created_at DESC, id DESC)
  WHERE status = 'open' AND NOT deleted AND payment_failed;

-- Indexes over the stored flag that reads used; nothing reads by it any more (the scan has its
-- own candidate indexes from migration 006).
DROP INDEX IF EXISTS invoices_past_due;
DROP INDEX IF EXISTS invoices_past_due_aging;
