-- Aging, collections and the lists read the open invoices through covering indexes (migrations
-- 010, 014); an index-only scan still reads the table for every row of a page autovacuum has not
-- marked all-visible since its last change. Measured on the bench database after the daily scan
-- updated 24k of 1M invoices: the open-invoice read of collections took 41 ms with 16,791 heap
-- fetches, 23 ms with none after a VACUUM. Autovacuum now visits these tables after 1% of their
-- rows changed or were inserted (default 20%, 200k rows at 1M).
ALTER TABLE invoices SET (
  autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
  autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_insert_threshold = 1000);
ALTER TABLE payment_events SET (
  autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
  autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_insert_threshold = 1000);
