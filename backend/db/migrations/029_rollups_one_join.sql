-- One statement trigger keeps both rollups on UPDATE of invoices. 015's and 021's each joined the
-- transition tables twice (once for the new rows, once for the old) and converted the changed rows
-- to arrays on their own: four joins and four conversions of wide rows for every update statement
-- of the applier. Here the changed rows are found and converted once and both writers are given
-- them. A row whose change counts for one rollup only adds and subtracts the same amounts in the
-- other, which both writers drop (their HAVING / WHERE on non-zero sums). With no changed row
-- (the past-due scan, a replayed event) neither writer runs.
DROP TRIGGER invoices_daily_totals_update ON invoices;
DROP TRIGGER invoices_collection_days_update ON invoices;
DROP FUNCTION invoice_daily_totals_updated();
DROP FUNCTION invoice_collection_days_updated();

CREATE FUNCTION invoice_rollups_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  added invoices[];
  removed invoices[];
BEGIN
  SELECT array_agg(n::invoices), array_agg(o::invoices) INTO added, removed
  FROM new_rows n JOIN old_rows o ON o.account_id = n.account_id AND o.id = n.id
  -- the inputs of 015's daily totals and 021's collection days
  WHERE (o.livemode, o.created_at, o.currency, o.status, o.amount_due, o.amount_paid, o.amount_refunded,
         o.amount_remaining, o.closed_at, o.paid_at, o.deleted, o.first_payment_failed_at, o.paid_out_of_band, o.gateway)
     IS DISTINCT FROM (n.livemode, n.created_at, n.currency, n.status, n.amount_due, n.amount_paid, n.amount_refunded,
         n.amount_remaining, n.closed_at, n.paid_at, n.deleted, n.first_payment_failed_at, n.paid_out_of_band, n.gateway);
  IF added IS NOT NULL THEN
    PERFORM invoice_daily_totals_apply(added, removed);
    PERFORM invoice_collection_days_apply(added, removed);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER invoices_rollups_update AFTER UPDATE ON invoices
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_rollups_updated();
