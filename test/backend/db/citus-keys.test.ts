// The Citus distribution rule of DESIGN.md "Scale", read from the migrated catalog: every primary
// key and unique constraint (or unique index) of a table with an account_id column includes
// account_id, and every foreign key between two such tables matches on account_id.
import { testSql } from '../../support/app-harness.js';

const sql = testSql();

interface KeyRow {
  table: string;
  name: string;
  kind: 'primary key' | 'unique' | 'unique index' | 'foreign key';
  columns: string[];
  /** foreign keys: the referenced table and columns */
  ref_table: string | null;
  ref_columns: string[] | null;
}

/** Base tables of the public schema with an account_id column. */
async function accountTables(): Promise<string[]> {
  const rows = await sql<{ table_name: string }[]>`
    SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = 'public' AND c.column_name = 'account_id' AND t.table_type = 'BASE TABLE'
    ORDER BY c.table_name`;
  return rows.map((r) => r.table_name);
}

async function keysOf(tables: string[]): Promise<KeyRow[]> {
  // Constraints (p, u, f) and unique indexes that back no constraint (partial unique indexes).
  return sql<KeyRow[]>`
    SELECT rel.relname AS table, con.conname AS name,
      CASE con.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique' ELSE 'foreign key' END AS kind,
      ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, n)
            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.n) AS columns,
      ref.relname AS ref_table,
      CASE WHEN con.contype = 'f' THEN
        ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, n)
              JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.n)
      END AS ref_columns
    FROM pg_constraint con
    JOIN pg_class rel ON rel.oid = con.conrelid
    JOIN pg_namespace ns ON ns.oid = rel.relnamespace AND ns.nspname = 'public'
    LEFT JOIN pg_class ref ON ref.oid = con.confrelid
    WHERE con.contype IN ('p', 'u', 'f') AND rel.relname = ANY(${tables}::text[])
    UNION ALL
    SELECT rel.relname, idx.relname, 'unique index',
      ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n),
      NULL, NULL
    FROM pg_index i
    JOIN pg_class rel ON rel.oid = i.indrelid
    JOIN pg_class idx ON idx.oid = i.indexrelid
    JOIN pg_namespace ns ON ns.oid = rel.relnamespace AND ns.nspname = 'public'
    WHERE i.indisunique AND rel.relname = ANY(${tables}::text[])
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'))
    ORDER BY 1, 2`;
}

describe('Citus distribution rule (every key of account data includes account_id)', () => {
  it('finds the account tables, and not accounts or job_runs (not account data)', async () => {
    const tables = await accountTables();
    for (const t of ['tenants', 'tenant_links', 'invoices', 'invoice_history', 'payment_events', 'notifications',
      'notification_attempts', 'admin_actions', 'sync_runs', 'invoice_lines', 'invoice_line_sets', 'reconcile_runs']) {
      expect(tables).toContain(t);
    }
    expect(tables).not.toContain('accounts');
    expect(tables).not.toContain('job_runs');
  });

  it('every account table has a primary key, and it includes account_id', async () => {
    const tables = await accountTables();
    const keys = await keysOf(tables);
    const primary = new Map(keys.filter((k) => k.kind === 'primary key').map((k) => [k.table, k.columns]));
    const missing = tables.filter((t) => !primary.has(t));
    expect(missing, 'tables without a primary key').toEqual([]);
    const without = [...primary].filter(([, cols]) => !cols.includes('account_id')).map(([t, cols]) => `${t} (${cols})`);
    expect(without, 'primary keys without account_id').toEqual([]);
  });

  it('every unique constraint and unique index of an account table includes account_id', async () => {
    const keys = await keysOf(await accountTables());
    const unique = keys.filter((k) => k.kind === 'unique' || k.kind === 'unique index');
    expect(unique.map((k) => k.name)).toEqual(
      expect.arrayContaining(['payment_events_account_id_gateway_event_id_key', 'sync_runs_one_running', 'reconcile_runs_one_running']),
    );
    const without = unique.filter((k) => !k.columns.includes('account_id')).map((k) => `${k.table}.${k.name} (${k.columns})`);
    expect(without, 'unique keys without account_id').toEqual([]);
  });

  it('every foreign key between account tables matches account_id to account_id', async () => {
    const tables = await accountTables();
    const keys = await keysOf(tables);
    const between = keys.filter((k) => k.kind === 'foreign key' && k.ref_table && tables.includes(k.ref_table));
    // the ones 017 made composite, at least
    expect(between.map((k) => k.name)).toEqual(
      expect.arrayContaining(['invoices_tenant_id_fkey', 'payment_events_invoice_id_fkey', 'notification_attempts_notification_id_fkey']),
    );
    const wrong = between
      .filter((k) => {
        const i = k.columns.indexOf('account_id');
        return i < 0 || k.ref_columns?.[i] !== 'account_id';
      })
      .map((k) => `${k.table}.${k.name} (${k.columns}) -> ${k.ref_table} (${k.ref_columns})`);
    expect(wrong, 'foreign keys not matching account_id').toEqual([]);
  });

  it('a composite SET NULL keeps the row and its account: deleting a tenant unlinks its invoices', async () => {
    const accountId = `acct_citus${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    await sql`INSERT INTO accounts (id) VALUES (${accountId})`;
    const [tenant] = await sql<{ id: string }[]>`
      INSERT INTO tenants (account_id, livemode, name) VALUES (${accountId}, false, 'Acme') RETURNING id`;
    await sql`
      INSERT INTO invoices (account_id, livemode, gateway, external_id, tenant_id, currency, status, created_at, source_time)
      VALUES (${accountId}, false, 'stripe', 'in_citus1', ${tenant.id}, 'usd', 'open', now(), now())`;
    await sql`DELETE FROM tenants WHERE account_id = ${accountId} AND id = ${tenant.id}`;
    const rows = await sql<{ account_id: string; tenant_id: string | null }[]>`
      SELECT account_id, tenant_id FROM invoices WHERE account_id = ${accountId} AND external_id = 'in_citus1'`;
    expect(rows).toEqual([{ account_id: accountId, tenant_id: null }]);
  });

  it('a row cannot reference another account\'s tenant', async () => {
    const a = `acct_citusa${Math.random().toString(36).slice(2, 10)}`;
    const b = `acct_citusb${Math.random().toString(36).slice(2, 10)}`;
    await sql`INSERT INTO accounts (id) VALUES (${a}), (${b})`;
    const [tenant] = await sql<{ id: string }[]>`
      INSERT INTO tenants (account_id, livemode, name) VALUES (${a}, false, 'Acme') RETURNING id`;
    await expect(sql`
      INSERT INTO tenant_links (account_id, livemode, tenant_id, gateway, external_id)
      VALUES (${b}, false, ${tenant.id}, 'stripe', 'cus_other')`).rejects.toMatchObject({ code: '23503' });
  });
});
