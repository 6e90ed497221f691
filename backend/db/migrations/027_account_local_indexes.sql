-- The two indexes of account data that did not lead with account_id, rebuilt to lead with it (and,
-- for the events, to hold only events about an invoice). Their keys are random uuids, so each
-- applied event and each history row landed on a random page of an index as large as the table;
-- led by the account, an account's writes share its own few pages. Every query of them names the
-- account (the invoice view, the foreign keys' actions from invoices (account_id, id)).
DROP INDEX payment_events_invoice;
CREATE INDEX payment_events_invoice ON payment_events (account_id, invoice_id) WHERE invoice_id IS NOT NULL;
DROP INDEX invoice_history_invoice;
CREATE INDEX invoice_history_invoice ON invoice_history (account_id, invoice_id, at, id);
