-- Citus readiness (DESIGN.md "Scale"): every primary key and unique constraint of account data
-- includes account_id, so the tables can be distributed by account_id. The single-column uuid /
-- identity keys become (account_id, id), and the foreign keys that referenced them become
-- composite (account_id, x_id) -> (account_id, id), which also makes a reference across
-- accounts impossible. ON DELETE behaviour is kept; SET NULL names its column, so the account_id
-- of the referencing row is never nulled (PostgreSQL 15+).
-- Not account data: accounts (the install registry, a Citus reference table), job_runs (job
-- leases), schema_migrations. Unique constraints and the other primary keys already lead with
-- account_id (tenants, tenant_links, invoices, payment_events, notifications, the gateway tables,
-- sync_runs_one_running, reconcile_runs).

-- 1. The foreign keys that reference a key about to change. (bulk_action_results exists here only in
--    a database that applied 018 before this file was added; see step 4.)
ALTER TABLE IF EXISTS bulk_action_results DROP CONSTRAINT IF EXISTS bulk_action_results_invoice_id_fkey;
ALTER TABLE tenant_links DROP CONSTRAINT tenant_links_tenant_id_fkey;
ALTER TABLE invoices DROP CONSTRAINT invoices_tenant_id_fkey;
ALTER TABLE payment_events DROP CONSTRAINT payment_events_tenant_id_fkey;
ALTER TABLE payment_events DROP CONSTRAINT payment_events_invoice_id_fkey;
ALTER TABLE paypal_subscriptions DROP CONSTRAINT paypal_subscriptions_tenant_id_fkey;
ALTER TABLE invoice_history DROP CONSTRAINT invoice_history_invoice_id_fkey;
ALTER TABLE notifications DROP CONSTRAINT notifications_invoice_id_fkey;
ALTER TABLE admin_actions DROP CONSTRAINT admin_actions_invoice_id_fkey;
ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_invoice_id_fkey;
ALTER TABLE invoice_line_sets DROP CONSTRAINT invoice_line_sets_invoice_id_fkey;
ALTER TABLE notification_attempts DROP CONSTRAINT notification_attempts_notification_id_fkey;
ALTER TABLE sync_runs DROP CONSTRAINT sync_runs_resumed_from_fkey;

-- 2. Primary keys led by account_id.
ALTER TABLE tenants DROP CONSTRAINT tenants_pkey, ADD CONSTRAINT tenants_pkey PRIMARY KEY (account_id, id);
ALTER TABLE tenant_links DROP CONSTRAINT tenant_links_pkey, ADD CONSTRAINT tenant_links_pkey PRIMARY KEY (account_id, id);
ALTER TABLE invoices DROP CONSTRAINT invoices_pkey, ADD CONSTRAINT invoices_pkey PRIMARY KEY (account_id, id);
ALTER TABLE invoice_history DROP CONSTRAINT invoice_history_pkey, ADD CONSTRAINT invoice_history_pkey PRIMARY KEY (account_id, id);
ALTER TABLE payment_events DROP CONSTRAINT payment_events_pkey, ADD CONSTRAINT payment_events_pkey PRIMARY KEY (account_id, id);
ALTER TABLE notifications DROP CONSTRAINT notifications_pkey, ADD CONSTRAINT notifications_pkey PRIMARY KEY (account_id, id);
ALTER TABLE notification_attempts DROP CONSTRAINT notification_attempts_pkey,
  ADD CONSTRAINT notification_attempts_pkey PRIMARY KEY (account_id, id);
ALTER TABLE admin_actions DROP CONSTRAINT admin_actions_pkey, ADD CONSTRAINT admin_actions_pkey PRIMARY KEY (account_id, id);
ALTER TABLE sync_runs DROP CONSTRAINT sync_runs_pkey, ADD CONSTRAINT sync_runs_pkey PRIMARY KEY (account_id, id);

-- 3. The foreign keys again, composite.
ALTER TABLE tenant_links ADD CONSTRAINT tenant_links_tenant_id_fkey
  FOREIGN KEY (account_id, tenant_id) REFERENCES tenants (account_id, id) ON DELETE CASCADE;
ALTER TABLE invoices ADD CONSTRAINT invoices_tenant_id_fkey
  FOREIGN KEY (account_id, tenant_id) REFERENCES tenants (account_id, id) ON DELETE SET NULL (tenant_id);
ALTER TABLE payment_events ADD CONSTRAINT payment_events_tenant_id_fkey
  FOREIGN KEY (account_id, tenant_id) REFERENCES tenants (account_id, id) ON DELETE SET NULL (tenant_id);
ALTER TABLE payment_events ADD CONSTRAINT payment_events_invoice_id_fkey
  FOREIGN KEY (account_id, invoice_id) REFERENCES invoices (account_id, id) ON DELETE SET NULL (invoice_id);
ALTER TABLE paypal_subscriptions ADD CONSTRAINT paypal_subscriptions_tenant_id_fkey
  FOREIGN KEY (account_id, tenant_id) REFERENCES tenants (account_id, id) ON DELETE SET NULL (tenant_id);
ALTER TABLE invoice_history ADD CONSTRAINT invoice_history_invoice_id_fkey
  FOREIGN KEY (account_id, invoice_id) REFERENCES invoices (account_id, id) ON DELETE CASCADE;
ALTER TABLE notifications ADD CONSTRAINT notifications_invoice_id_fkey
  FOREIGN KEY (account_id, invoice_id) REFERENCES invoices (account_id, id) ON DELETE CASCADE;
ALTER TABLE admin_actions ADD CONSTRAINT admin_actions_invoice_id_fkey
  FOREIGN KEY (account_id, invoice_id) REFERENCES invoices (account_id, id) ON DELETE SET NULL (invoice_id);
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_invoice_id_fkey
  FOREIGN KEY (account_id, invoice_id) REFERENCES invoices (account_id, id) ON DELETE CASCADE;
ALTER TABLE invoice_line_sets ADD CONSTRAINT invoice_line_sets_invoice_id_fkey
  FOREIGN KEY (account_id, invoice_id) REFERENCES invoices (account_id, id) ON DELETE CASCADE;
ALTER TABLE notification_attempts ADD CONSTRAINT notification_attempts_notification_id_fkey
  FOREIGN KEY (account_id, notification_id) REFERENCES notifications (account_id, id) ON DELETE CASCADE;
ALTER TABLE sync_runs ADD CONSTRAINT sync_runs_resumed_from_fkey
  FOREIGN KEY (account_id, resumed_from) REFERENCES sync_runs (account_id, id);

-- 4. Migration 018 (numbered after this one, written before it) creates bulk_action_results with
-- `REFERENCES invoices (id)`, which needs a unique key on invoices (id) alone. Until a migration
-- after 019 makes that foreign key composite (and gives digests a key with account_id), invoices
-- keeps this transitional unique index; a database that applied 018 first gets the same foreign
-- key back, so every database is identical from here on.
CREATE UNIQUE INDEX invoices_id_key ON invoices (id);
DO $$
BEGIN
  IF to_regclass('public.bulk_action_results') IS NOT NULL THEN
    ALTER TABLE bulk_action_results ADD CONSTRAINT bulk_action_results_invoice_id_fkey
      FOREIGN KEY (invoice_id) REFERENCES invoices (id) ON DELETE CASCADE;
  END IF;
END $$;
