-- status=past_due lists the open invoices past due now, newest first: the walk skips the newest
-- open invoices, not yet due, by their due date. Through invoices_status it read each skipped
-- invoice from the table (5,917 of them on the bench database: p95 25 ms over HTTP, against 13 ms
-- when the list read a stored flag); this index holds what the filter reads, so the walk is an
-- index-only scan (2.6 ms) and only the page's rows are read (pagination.ts keysFirst).
CREATE INDEX invoices_open_list ON invoices (account_id, livemode, created_at DESC, id DESC)
  INCLUDE (due_date, payment_failed) WHERE status = 'open' AND NOT deleted;
