// Migrations 022 and 023: the tables a new account fills fastest are analyzed after 1% of their
// rows change, so the planner learns of the account before its lookups turn into scans of its
// every row; invoices and events are vacuumed as often, so index-only scans stay index-only.
import { testSql } from '../../support/app-harness.js';

const sql = testSql();

describe('autovacuum settings', () => {
  it('analyzes invoices, payment_events and invoice_history after 1% of their rows changed', async () => {
    const rows = await sql<{ relname: string; reloptions: string[] }[]>`
      SELECT relname, reloptions FROM pg_class
      WHERE relname = ANY(${['invoices', 'payment_events', 'invoice_history']}::text[]) AND relkind = 'r'
        AND relnamespace = current_schema()::regnamespace
      ORDER BY relname`;
    expect(rows.map((r) => r.relname)).toEqual(['invoice_history', 'invoices', 'payment_events']);
    for (const r of rows) {
      expect(r.reloptions).toEqual(expect.arrayContaining(['autovacuum_analyze_scale_factor=0.01', 'autovacuum_analyze_threshold=1000']));
    }
  });

  it('vacuums invoices and payment_events after 1% of their rows changed or were inserted', async () => {
    const rows = await sql<{ relname: string; reloptions: string[] }[]>`
      SELECT relname, reloptions FROM pg_class
      WHERE relname = ANY(${['invoices', 'payment_events']}::text[]) AND relkind = 'r'
        AND relnamespace = current_schema()::regnamespace
      ORDER BY relname`;
    expect(rows.map((r) => r.relname)).toEqual(['invoices', 'payment_events']);
    for (const r of rows) {
      expect(r.reloptions).toEqual(
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
