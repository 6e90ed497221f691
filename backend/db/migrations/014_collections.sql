-- Collections figures (GET /api/collections): when an invoice was paid, when it stopped being
-- receivable, when a payment of it first failed, and whether it was paid out of band.
--
-- paid_at, closed_at and first_payment_failed_at are kept by a row trigger from the status and
-- payment_failed columns, so every writer of the ledger (webhooks, backfill, admin actions, a
-- batched apply) records them the same way without each having to know; the time is the change's
-- source_time (the event's `created`, or the object's own transition time for a backfill).
ALTER TABLE invoices ADD COLUMN paid_at timestamptz;
-- left `open`: paid, voided or marked uncollectible (no longer a receivable)
ALTER TABLE invoices ADD COLUMN closed_at timestamptz;
ALTER TABLE invoices ADD COLUMN first_payment_failed_at timestamptz;
-- Stripe's invoice.paid_out_of_band (set by the Stripe mapping; PayPal MARKED_AS_PAID likewise)
ALTER TABLE invoices ADD COLUMN paid_out_of_band boolean NOT NULL DEFAULT false;

-- What the ledger already knows, for invoices stored before this migration.
UPDATE invoices SET paid_at = CASE WHEN status = 'paid' THEN GREATEST(source_time, created_at) END,
  closed_at = GREATEST(source_time, created_at)
WHERE status IN ('paid', 'void', 'uncollectible');
UPDATE invoices i SET first_payment_failed_at = f.at
FROM (
  SELECT invoice_id, min(at) AS at FROM invoice_history WHERE note = 'payment failed' GROUP BY invoice_id
) f
WHERE f.invoice_id = i.id;
UPDATE invoices SET first_payment_failed_at = COALESCE(past_due_since, source_time)
WHERE payment_failed AND first_payment_failed_at IS NULL;

CREATE FUNCTION invoices_collection_times() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- never before the invoice's creation (a source's clock may be behind the gateway's created)
  IF NEW.status = 'paid' AND NEW.paid_at IS NULL THEN
    NEW.paid_at := GREATEST(NEW.source_time, NEW.created_at);
  END IF;
  IF NEW.status IN ('paid', 'void', 'uncollectible') AND (TG_OP = 'INSERT' OR OLD.status IN ('draft', 'open')) THEN
    NEW.closed_at := COALESCE(NEW.closed_at, GREATEST(NEW.source_time, NEW.created_at));
  END IF;
  IF NEW.payment_failed AND NEW.first_payment_failed_at IS NULL THEN
    NEW.first_payment_failed_at := NEW.source_time;
  END IF;
  RETURN NEW;
END $$;

-- Fires only when one of its inputs may change (the past-due scan touches none of them).
CREATE TRIGGER invoices_collection_times_insert BEFORE INSERT ON invoices
  FOR EACH ROW WHEN (NEW.status <> 'draft' AND NEW.status <> 'open' OR NEW.payment_failed)
  EXECUTE FUNCTION invoices_collection_times();
CREATE TRIGGER invoices_collection_times_update BEFORE UPDATE ON invoices
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.payment_failed IS DISTINCT FROM NEW.payment_failed)
  EXECUTE FUNCTION invoices_collection_times();

-- Window scans of the collections figures read these indexes only (index-only scans):
-- issued in the window (credit sales), paid in the window (days to pay, recoveries).
CREATE INDEX invoices_issued ON invoices (account_id, livemode, created_at)
  INCLUDE (currency, amount_due, status, tenant_id) WHERE status <> 'draft' AND NOT deleted;
CREATE INDEX invoices_paid_at ON invoices (account_id, livemode, paid_at)
  INCLUDE (currency, created_at, amount_paid, tenant_id, first_payment_failed_at, paid_out_of_band, gateway)
  WHERE paid_at IS NOT NULL AND NOT deleted;
-- Receivables at a moment: the invoices whose (created_at, closed_at] holds it (issued before it,
-- not closed before it). A GiST index over that range finds them without reading every invoice
-- closed since (a window a year back). The CASE keeps a write from failing should closed_at ever be before created_at (an empty range).
CREATE INDEX invoices_receivable_range ON invoices USING gist (
  tstzrange(created_at, CASE WHEN closed_at < created_at THEN created_at ELSE closed_at END, '(]'))
  WHERE status <> 'draft' AND NOT deleted;

-- What preceded a payment: succeeded admin retries and reminders of an invoice.
CREATE INDEX admin_actions_invoice ON admin_actions (account_id, livemode, invoice_id, created_at)
  WHERE outcome = 'succeeded' AND action IN ('retry', 'send_reminder');
