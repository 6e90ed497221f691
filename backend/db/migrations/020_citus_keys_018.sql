-- The Citus rule (every primary key and unique constraint of account data includes account_id)
-- for the two tables of 018, written before 017 landed: the bulk results' foreign key becomes
-- composite, digests get a key led by account_id, and the transitional unique index on
-- invoices (id) that 017 kept for 018 goes.
ALTER TABLE bulk_action_results DROP CONSTRAINT IF EXISTS bulk_action_results_invoice_id_fkey;
ALTER TABLE bulk_action_results ADD CONSTRAINT bulk_action_results_invoice_id_fkey
  FOREIGN KEY (account_id, invoice_id) REFERENCES invoices (account_id, id) ON DELETE CASCADE;
DROP INDEX IF EXISTS invoices_id_key;

ALTER TABLE digests DROP CONSTRAINT digests_pkey;
ALTER TABLE digests ADD PRIMARY KEY (account_id, id);
