-- Invoice line items as the app shows them (GET /api/invoices/:id `lines`), stored from the
-- invoice payload each time a newer source of the invoice applies (the whole set is replaced).
-- `origin`: 'line' for the gateway's own line items, 'invoice' for lines made from invoice-level
-- figures (taxes, discounts), kept when a truncated list is completed through the API.
CREATE TABLE invoice_lines (
  account_id    text NOT NULL,
  livemode      boolean NOT NULL,
  invoice_id    uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
  position      integer NOT NULL,
  origin        text NOT NULL CHECK (origin IN ('line', 'invoice')),
  kind          text NOT NULL CHECK (kind IN ('subscription', 'usage', 'fixed', 'adjustment', 'tax', 'item')),
  description   text,
  quantity      bigint,
  amount        bigint NOT NULL,
  currency      text NOT NULL,
  period_start  timestamptz,
  period_end    timestamptz,
  PRIMARY KEY (account_id, livemode, invoice_id, position)
);

-- One row per invoice whose lines are stored: whether the payload's list was cut short (has_more)
-- and a version that changes with every replacement, so a completed list fetched through the API
-- never overwrites a set a newer event stored meanwhile.
CREATE TABLE invoice_line_sets (
  account_id  text NOT NULL,
  livemode    boolean NOT NULL,
  invoice_id  uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
  has_more    boolean NOT NULL,
  version     integer NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, livemode, invoice_id)
);
