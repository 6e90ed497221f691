-- A new account's invoices and events arrive by the thousand (a platform installing the app, a
-- backfill, a burst of webhooks) while the planner's statistics still say the account has none:
-- it then reads the account through the primary key and filters every row. Measured in the bench:
-- a PayPal account at 15k invoices took 20 ms per invoice lookup and the applier fell to 30 events/s.
-- Autovacuum analyzes these tables after 1% of their rows changed (default 10%, 100k rows at 1M).
ALTER TABLE invoices SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 1000);
ALTER TABLE payment_events SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 1000);
ALTER TABLE invoice_history SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 1000);
