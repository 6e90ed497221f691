-- Collections without a tenant filter (GET /api/collections) read a daily rollup instead of every
-- invoice of the window: per account, mode, UTC day and currency, what domain/collections.ts sums,
-- each on the day it counts from (deleted invoices left out, drafts too except for payments):
--   created day: issued = amount_due of invoices not void (credit sales); owed = what the invoice
--                is owed for while receivable (amount_remaining when open, else amount_due)
--   closed day:  closed = the same owed amount, on the day it stopped being receivable (closed_at,
--                or created_at when closed_at is before it, as the range of migration 014)
--   paid day:    paid_count, paid_amount = amount_paid, paid_ms = milliseconds from creation to payment;
--                of those paid after a failed payment, count and amount_paid by the cause their own
--                columns give (outside: paid out of band, paypal, else automatic); the causes that
--                depend on admin actions and reminders are read live
-- so receivables at an instant = owed of the days before it - closed of the days before it, plus
-- the invoices of its partial day. Kept by statement-level triggers and sharded like
-- invoice_daily_totals (migration 015).
CREATE TABLE invoice_collection_days (
  account_id   text NOT NULL,
  livemode     boolean NOT NULL,
  day          date NOT NULL,
  currency     text NOT NULL,
  shard        smallint NOT NULL,
  issued       bigint NOT NULL DEFAULT 0,
  owed         bigint NOT NULL DEFAULT 0,
  closed       bigint NOT NULL DEFAULT 0,
  paid_count   bigint NOT NULL DEFAULT 0,
  paid_amount  bigint NOT NULL DEFAULT 0,
  paid_ms      bigint NOT NULL DEFAULT 0,
  recovered_outside          bigint NOT NULL DEFAULT 0,
  recovered_outside_amount   bigint NOT NULL DEFAULT 0,
  recovered_paypal           bigint NOT NULL DEFAULT 0,
  recovered_paypal_amount    bigint NOT NULL DEFAULT 0,
  recovered_automatic        bigint NOT NULL DEFAULT 0,
  recovered_automatic_amount bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, livemode, day, currency, shard)
);

-- What one invoice adds to the rollup: up to three rows, one per day it counts on.
CREATE FUNCTION invoice_collection_parts(r invoices)
RETURNS TABLE (day date, issued bigint, owed bigint, closed bigint, paid_count bigint, paid_amount bigint,
  paid_ms bigint,
               recovered_outside bigint, recovered_outside_amount bigint, recovered_paypal bigint,
               recovered_paypal_amount bigint, recovered_automatic bigint, recovered_automatic_amount bigint)
LANGUAGE sql IMMUTABLE AS $$
  SELECT p.*
  FROM (SELECT r.first_payment_failed_at IS NOT NULL AND r.first_payment_failed_at <= r.paid_at AS recovered,
               CASE WHEN r.paid_out_of_band THEN 'outside' WHEN r.gateway = 'paypal' THEN 'paypal' ELSE
                 'automatic' END AS cause) c
  CROSS JOIN LATERAL (VALUES
    (CASE WHEN r.status <> 'draft' THEN (r.created_at AT TIME ZONE 'UTC')::date END,
     CASE WHEN r.status <> 'void' THEN r.amount_due ELSE 0 END,
     CASE WHEN r.status = 'open' THEN r.amount_remaining ELSE r.amount_due END, 0::bigint, 0::bigint, 0::bigint,
       0::bigint,
     0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint),
    (CASE WHEN r.status <> 'draft' AND r.closed_at IS NOT NULL
       THEN (GREATEST(r.closed_at, r.created_at) AT TIME ZONE 'UTC')::date END,
     0::bigint, 0::bigint, CASE WHEN r.status = 'open' THEN r.amount_remaining ELSE r.amount_due END, 0::bigint,
       0::bigint, 0::bigint,
     0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint),
    ((r.paid_at AT TIME ZONE 'UTC')::date, 0::bigint, 0::bigint, 0::bigint, 1::bigint, r.amount_paid,
     round(EXTRACT(EPOCH FROM (r.paid_at - r.created_at)) * 1000)::bigint,
     (c.recovered AND c.cause = 'outside')::int::bigint, CASE WHEN c.recovered AND c.cause = 'outside' THEN
       r.amount_paid ELSE 0 END,
     (c.recovered AND c.cause = 'paypal')::int::bigint, CASE WHEN c.recovered AND c.cause = 'paypal' THEN
       r.amount_paid ELSE 0 END,
     (c.recovered AND c.cause = 'automatic')::int::bigint, CASE WHEN c.recovered AND c.cause = 'automatic' THEN
       r.amount_paid ELSE 0 END)
  ) p (day, issued, owed, closed, paid_count, paid_amount, paid_ms, recovered_outside, recovered_outside_amount,
       recovered_paypal, recovered_paypal_amount, recovered_automatic, recovered_automatic_amount)
  WHERE p.day IS NOT NULL AND NOT r.deleted
$$;

-- Adds (sign 1) the rows of `added` and subtracts (sign -1) those of `removed`, in key order.
CREATE FUNCTION invoice_collection_days_apply(added invoices[], removed invoices[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO invoice_collection_days AS d (account_id, livemode, day, currency, shard, issued, owed, closed,
    paid_count, paid_amount, paid_ms, recovered_outside, recovered_outside_amount, recovered_paypal,
    recovered_paypal_amount, recovered_automatic, recovered_automatic_amount)
  SELECT account_id, livemode, day, currency, pg_backend_pid() % 16, issued, owed, closed, paid_count,
    paid_amount, paid_ms, recovered_outside, recovered_outside_amount, recovered_paypal, recovered_paypal_amount,
    recovered_automatic, recovered_automatic_amount
  FROM (
    SELECT x.account_id, x.livemode, p.day, x.currency, sum(x.sign * p.issued) AS issued, sum(x.sign * p.owed)
      AS owed, sum(x.sign * p.closed) AS closed, sum(x.sign * p.paid_count) AS paid_count, sum(x.sign *
      p.paid_amount) AS paid_amount, sum(x.sign * p.paid_ms) AS paid_ms, sum(x.sign * p.recovered_outside) AS
      recovered_outside, sum(x.sign * p.recovered_outside_amount) AS recovered_outside_amount, sum(x.sign *
      p.recovered_paypal) AS recovered_paypal, sum(x.sign * p.recovered_paypal_amount) AS recovered_paypal_amount,
      sum(x.sign * p.recovered_automatic) AS recovered_automatic, sum(x.sign * p.recovered_automatic_amount) AS
      recovered_automatic_amount
    FROM (
      SELECT r, 1 AS sign, r.account_id, r.livemode, r.currency FROM unnest(added) AS r
      UNION ALL
      SELECT r, -1 AS sign, r.account_id, r.livemode, r.currency FROM unnest(removed) AS r
    ) x
    CROSS JOIN LATERAL invoice_collection_parts(x.r) p
    GROUP BY x.account_id, x.livemode, p.day, x.currency
  ) g
  WHERE issued <> 0 OR owed <> 0 OR closed <> 0 OR paid_count <> 0 OR paid_amount <> 0 OR paid_ms <> 0 OR
    recovered_outside <> 0 OR recovered_outside_amount <> 0 OR recovered_paypal <> 0 OR recovered_paypal_amount <>
    0 OR recovered_automatic <> 0 OR recovered_automatic_amount <> 0
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (account_id, livemode, day, currency, shard) DO UPDATE SET
    issued = d.issued + EXCLUDED.issued,
    owed = d.owed + EXCLUDED.owed,
    closed = d.closed + EXCLUDED.closed,
    paid_count = d.paid_count + EXCLUDED.paid_count,
    paid_amount = d.paid_amount + EXCLUDED.paid_amount,
    paid_ms = d.paid_ms + EXCLUDED.paid_ms,
    recovered_outside = d.recovered_outside + EXCLUDED.recovered_outside,
    recovered_outside_amount = d.recovered_outside_amount + EXCLUDED.recovered_outside_amount,
    recovered_paypal = d.recovered_paypal + EXCLUDED.recovered_paypal,
    recovered_paypal_amount = d.recovered_paypal_amount + EXCLUDED.recovered_paypal_amount,
    recovered_automatic = d.recovered_automatic + EXCLUDED.recovered_automatic,
    recovered_automatic_amount = d.recovered_automatic_amount + EXCLUDED.recovered_automatic_amount
$$;

CREATE FUNCTION invoice_collection_days_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM invoice_collection_days_apply(ARRAY(SELECT n::invoices FROM new_rows n), '{}');
  RETURN NULL;
END $$;

CREATE FUNCTION invoice_collection_days_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only rows whose counted inputs changed (the past-due scan and the applier's replays change none).
  PERFORM invoice_collection_days_apply(
    ARRAY(SELECT n::invoices FROM new_rows n JOIN old_rows o ON o.account_id = n.account_id AND o.id = n.id
          WHERE (o.livemode, o.created_at, o.currency, o.status, o.amount_due, o.amount_remaining, o.amount_paid,
                 o.closed_at, o.paid_at, o.deleted, o.first_payment_failed_at, o.paid_out_of_band, o.gateway)
             IS DISTINCT FROM (n.livemode, n.created_at, n.currency, n.status, n.amount_due, n.amount_remaining,
                 n.amount_paid, n.closed_at, n.paid_at, n.deleted, n.first_payment_failed_at,
                   n.paid_out_of_band, n.gateway)),
    ARRAY(SELECT o::invoices FROM new_rows n JOIN old_rows o ON o.account_id = n.account_id AND o.id = n.id
          WHERE (o.livemode, o.created_at, o.currency, o.status, o.amount_due, o.amount_remaining, o.amount_paid,
                 o.closed_at, o.paid_at, o.deleted, o.first_payment_failed_at, o.paid_out_of_band, o.gateway)
             IS DISTINCT FROM (n.livemode, n.created_at, n.currency, n.status, n.amount_due, n.amount_remaining,
                 n.amount_paid, n.closed_at, n.paid_at, n.deleted, n.first_payment_failed_at,
                   n.paid_out_of_band, n.gateway)));
  RETURN NULL;
END $$;

CREATE FUNCTION invoice_collection_days_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM invoice_collection_days_apply('{}', ARRAY(SELECT o::invoices FROM old_rows o));
  RETURN NULL;
END $$;

CREATE TRIGGER invoices_collection_days_insert AFTER INSERT ON invoices
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_collection_days_inserted();
CREATE TRIGGER invoices_collection_days_update AFTER UPDATE ON invoices
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION
    invoice_collection_days_updated();
CREATE TRIGGER invoices_collection_days_delete AFTER DELETE ON invoices
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_collection_days_deleted();

-- The rollup of some accounts (NULL: all) from their invoices, from scratch: here for the invoices
-- stored before this migration, and for bulk loads made with triggers off.
CREATE FUNCTION invoice_collection_days_rebuild(accounts text[]) RETURNS void LANGUAGE sql AS $$
  DELETE FROM invoice_collection_days WHERE accounts IS NULL OR account_id = ANY(accounts);
  INSERT INTO invoice_collection_days (account_id, livemode, day, currency, shard, issued, owed, closed,
    paid_count, paid_amount, paid_ms, recovered_outside, recovered_outside_amount, recovered_paypal,
    recovered_paypal_amount, recovered_automatic, recovered_automatic_amount)
  SELECT i.account_id, i.livemode, p.day, i.currency, 0, sum(p.issued), sum(p.owed), sum(p.closed),
    sum(p.paid_count), sum(p.paid_amount), sum(p.paid_ms), sum(p.recovered_outside),
    sum(p.recovered_outside_amount), sum(p.recovered_paypal), sum(p.recovered_paypal_amount),
    sum(p.recovered_automatic), sum(p.recovered_automatic_amount)
  FROM invoices i CROSS JOIN LATERAL invoice_collection_parts(i) p
  WHERE accounts IS NULL OR i.account_id = ANY(accounts)
  GROUP BY 1, 2, 3, 4;
$$;
SELECT invoice_collection_days_rebuild(NULL);

-- The partial days at a window's edges are read from the invoices: those closed on the day of a
-- receivables instant (the other edges use invoices_issued and invoices_paid_at of 014)...
CREATE INDEX invoices_closed_day ON invoices (account_id, livemode, (GREATEST(closed_at, created_at)))
  INCLUDE (currency, status, amount_due, amount_remaining, closed_at, created_at)
  WHERE status <> 'draft' AND NOT deleted AND closed_at IS NOT NULL;
-- ...and the payments after a failure (a few of all payments), whose recovery cause is read live.
CREATE INDEX invoices_recovered ON invoices (account_id, livemode, paid_at)
  INCLUDE (id, currency, amount_paid, first_payment_failed_at, paid_out_of_band, gateway, tenant_id)
  WHERE paid_at IS NOT NULL AND NOT deleted AND first_payment_failed_at IS NOT NULL;
