-- The digest of the line list (and its has_more) a set was stored from. An event that carries the
-- same lines as the stored set (invoice.paid after invoice.finalized, invoice.updated for a status)
-- leaves the set and its rows alone instead of deleting and inserting them again: half of the
-- applier's line writes under a month-start run. NULL for sets stored before: rewritten once.
ALTER TABLE invoice_line_sets ADD COLUMN digest text;
