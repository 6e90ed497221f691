// Migrations 022 and 023: the tables a new account fills fastest are analyzed after 1% of their
// rows change, so the planner learns of the account before its lookups turn into scans of its
// every row; invoices and events are vacuumed as often, so index-only scans stay index-only.
import { testSql } from '../../support/app-harness.js';

const sql = testSql();

/** The storage options of these tables of the schema under test, by table name. */
async function reloptions(tables: string[]): Promise<Map<string, string[]>> {
  const rows = await sql<{ relname: string; reloptions: string[] }[]>`
    SELECT relname, reloptions FROM pg_class
    WHERE relname = ANY(${tables}::text[]) AND relkind = 'r' AND relnamespace = current_schema()::regnamespace`;
  return new Map(rows.map((r) => [r.relname, r.reloptions]));
}

describe('autovacuum settings', () => {
  it('analyzes invoices, payment_events and invoice_history after 1% of their rows changed', async () => {
    const options = await reloptions(['invoices', 'payment_events', 'invoice_history']);
    expect([...options.keys()].sort()).toEqual(['invoice_history', 'invoices', 'payment_events']);
    for (const o of options.values()) {
      expect(o).toEqual(expect.arrayContaining(['autovacuum_analyze_scale_factor=0.01', 'autovacuum_analyze_threshold=1000']));
    }
  });

  it('vacuums invoices and payment_events after 1% of their rows changed or were inserted', async () => {
    const options = await reloptions(['invoices', 'payment_events']);
    expect([...options.keys()].sort()).toEqual(['invoices', 'payment_events']);
    for (const o of options.values()) {
      expect(o).toEqual(
        expect.arrayContaining([
          'autovacuum_vacuum_scale_factor=0.01',
          'autovacuum_vacuum_threshold=1000',
          'autovacuum_vacuum_insert_scale_factor=0.01',
          'autovacuum_vacuum_insert_threshold=1000',
        ]),
      );
    }
  });
});
