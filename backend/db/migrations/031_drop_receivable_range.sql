-- 014's GiST index of each invoice's (created_at, closed_at] range served the account-wide
-- receivables at a moment. Since 021 those come from the daily rollup and the edge days' invoices
-- (invoices_closed_day, invoices_issued_owed); a tenant's receivables read its few invoices through
-- invoices_tenant. No query has used it since (idx_scan 0 after every query of `npm run bench` at
-- 1M invoices), while every write of a non-draft invoice still inserted into it: 88 MB at 1M.
DROP INDEX invoices_receivable_range;
