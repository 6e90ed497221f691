// Seeds the query benchmark in SQL (generate_series, no HTTP): one bench account with `tenants`
// tenants and 95% of the invoices and events, the rest spread over four other accounts so every
// query has to filter. Values are derived from the row number (deterministic, skewed like a real
// ledger: about 83% paid, 2% open (the recent ones and a tail of long overdue ones), mostly USD,
// two years of history). Event payloads are small stubs
// (the real ones are a few KB): list queries never read the payload.
//
// Bulk loading: secondary indexes are dropped and rebuilt after the load, and triggers (foreign
// keys, the rollups) are off while loading (session_replication_role = replica); the rollups
// are then rebuilt from the invoices, as migrations 008 and 021 do.
import { randomBytes } from 'node:crypto';
import type { Sql } from '../../backend/db/client.js';
import { MAX_ATTEMPTS } from '../../backend/domain/event-inbox.js';

export interface SeedSize {
  invoices: number;
  events: number;
  tenants: number;
}

export interface Seeded {
  accountId: string;
  otherAccounts: string[];
  size: SeedSize;
  /** tenant ids of the bench account, a sample for per-tenant queries */
  tenantIds: string[];
  /** a few invoice numbers and customer ids of the bench account, for q searches */
  numbers: string[];
  customers: string[];
  /** the newest created_at of the seed: date-range queries are placed before it */
  newest: Date;
  seconds: number;
}

/** A deterministic version-4 uuid of a text (the API validates uuids strictly). */
const uuidOf = (sql: Sql, text: ReturnType<Sql>) => sql`overlay(overlay(md5(${text}) placing '4' from 13) placing '8' from 17)::uuid`;

const TABLES = ['tenants', 'invoices', 'invoice_history', 'payment_events', 'invoice_daily_totals', 'invoice_collection_days'];

export async function seedLedger(sql: Sql, size: SeedSize): Promise<Seeded> {
  const started = performance.now();
  const salt = randomBytes(4).toString('hex');
  const accountId = `acct_bench${salt}`;
  const otherAccounts = [1, 2, 3, 4].map((n) => `acct_other${n}${salt}`);
  const all = [accountId, ...otherAccounts];
  const N = size.invoices;
  const E = size.events;
  const T = size.tenants;

  const reserved = await sql.reserve();
  try {
    await reserved`SET maintenance_work_mem = '256MB'`;
    await reserved`INSERT INTO accounts (id) SELECT unnest(${all}::text[]) ON CONFLICT DO NOTHING`;
    const indexes = await reserved<{ indexname: string; indexdef: string }[]>`
      SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = ANY(${TABLES}::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`;
    for (const ix of indexes) await reserved.unsafe(`DROP INDEX ${ix.indexname}`);
    await reserved`SET session_replication_role = replica`;

    await reserved`
      INSERT INTO tenants (id, account_id, livemode, name, external_ref, created_at)
      SELECT ${uuidOf(reserved, reserved`${salt} || 't' || g`)}, ${accountId}, true, 'Tenant ' || g, 'ten_' || g,
             now() - make_interval(days => (g % 700))
      FROM generate_series(1, ${T}) g`;

    // n: invoice number 1..N. acct: 0 = bench account, 1..4 = others.
    await reserved`
      INSERT INTO invoices (id, account_id, livemode, gateway, external_id, number, tenant_id, customer_id, subscription_id,
        currency, total, tax, amount_due, amount_paid, amount_remaining, amount_refunded, status, past_due, payment_failed,
        collection_method, attempt_count, due_date, hosted_url, pdf_url, deleted, created_at, source_time, source_event_id,
        paid_at, closed_at, first_payment_failed_at, paid_out_of_band)
      SELECT ${uuidOf(reserved, reserved`${salt} || 'i' || n`)},
        CASE WHEN n % 20 = 0 THEN (${otherAccounts}::text[])[n / 20 % 4 + 1] ELSE ${accountId} END,
        n % 20 <> 0,
        CASE WHEN n % 5 = 0 THEN 'paypal' ELSE 'stripe' END,
        CASE WHEN n % 5 = 0 THEN upper(substr(md5(${salt} || n), 1, 17)) ELSE 'in_' || substr(md5(${salt} || n), 1, 24) END,
        'INV-' || lpad(n::text, 8, '0'),
        CASE WHEN n % 20 <> 0 AND n % 10 <> 3 THEN ${uuidOf(reserved, reserved`${salt} || 't' || (n * 7 % ${T} + 1)`)} END,
        'cus_' || lpad((n % 20000)::text, 10, '0'),
        CASE WHEN n % 3 = 0 THEN 'sub_' || lpad((n % 20000)::text, 10, '0') END,
        c.currency, c.total, c.total / 11, c.total,
        CASE WHEN s.status = 'paid' THEN c.total ELSE 0 END,
        CASE WHEN s.status IN ('open', 'uncollectible') THEN c.total ELSE 0 END,
        CASE WHEN s.status = 'paid' AND n % 50 = 1 THEN c.total / 2 ELSE 0 END,
        s.status, false, s.status = 'open' AND n % 100 = 7,
        CASE WHEN n % 3 = 0 THEN 'charge_automatically' ELSE 'send_invoice' END, 1,
        t.created + interval '30 days', NULL, NULL, false, t.created, t.created, 'evt_seed_' || n,
        -- what migration 014's trigger records (triggers are off while loading): paid 0-39 days after
        -- creation, closed then, one paid invoice in 25 after a failed payment, one in 200 out of band
        CASE WHEN s.status = 'paid' THEN t.settled END,
        CASE WHEN s.status IN ('paid', 'void', 'uncollectible') THEN t.settled END,
        CASE WHEN (s.status = 'paid' AND n % 25 = 4) OR (s.status = 'open' AND n % 100 = 7)
          THEN LEAST(t.created + interval '1 day', t.settled) END,
        s.status = 'paid' AND n % 200 = 9
      FROM generate_series(1, ${N}) n
      CROSS JOIN LATERAL (SELECT now() - make_interval(secs => (n::bigint * 2654435761 % (730 * 86400))::double precision) AS created) t0
      -- settled 0-39 days after creation; when that would be in the future, somewhere between the
      -- creation and now (clamped to now, a recent day would hold thousands settled at one instant)
      CROSS JOIN LATERAL (SELECT t0.created, CASE
          WHEN t0.created + make_interval(days => (n * 13 % 40)::int, hours => (n % 24)::int) <= now()
            THEN t0.created + make_interval(days => (n * 13 % 40)::int, hours => (n % 24)::int)
          ELSE t0.created + (now() - t0.created) * ((n % 97) / 97.0) END AS settled) t
      CROSS JOIN LATERAL (SELECT
        CASE WHEN n % 100 < 70 THEN 'usd' WHEN n % 100 < 90 THEN 'eur' WHEN n % 100 < 97 THEN 'gbp' ELSE 'jpy' END AS currency,
        1000 + (n::bigint * 7919 % 100000) AS total) c
      CROSS JOIN LATERAL (SELECT CASE
        WHEN n * 31 % 100 < 70 THEN 'paid'
        -- open: mostly recent; of invoices older than 60 days one in ten is still open (long overdue)
        WHEN n * 31 % 100 < 85 THEN CASE WHEN t.created < now() - interval '60 days' AND n % 10 <> 0 THEN 'paid' ELSE 'open' END
        WHEN n * 31 % 100 < 90 THEN 'void'
        WHEN n * 31 % 100 < 93 THEN 'uncollectible' ELSE 'draft' END AS status) s`;

    await reserved`
      INSERT INTO invoice_history (account_id, livemode, invoice_id, from_status, to_status, at, source)
      SELECT account_id, livemode, id, NULL, status, created_at, source_event_id FROM invoices
      WHERE account_id = ANY(${all}::text[])`;

    // Event g belongs to invoice (g % N) + 1 and copies its account, tenant and time.
    await reserved`
      INSERT INTO payment_events (account_id, livemode, gateway, event_id, type, object_id, tenant_id, invoice_id,
        customer_id, processed, ignored, error, state, attempts, payload, received_at, occurred_at, processed_at)
      SELECT i.account_id, i.livemode, i.gateway, 'evt_' || ${salt} || '_' || g,
        CASE WHEN i.gateway = 'paypal' THEN (ARRAY['PAYMENT.SALE.COMPLETED', 'BILLING.SUBSCRIPTION.ACTIVATED', 'PAYMENT.SALE.REFUNDED'])[g % 3 + 1]
             ELSE (ARRAY['invoice.finalized', 'invoice.paid', 'invoice.payment_failed'])[g % 3 + 1] END,
        i.external_id, i.tenant_id, i.id, i.customer_id,
        g % 50 <> 0, false, CASE WHEN g % 50 = 0 THEN 'handler failed: invoice currency changed' END,
        -- applied long ago, or failed every attempt (left for replay): the applier has no backlog to start with
        CASE WHEN g % 50 <> 0 THEN 'processed' ELSE 'failed' END, CASE WHEN g % 50 = 0 THEN ${MAX_ATTEMPTS} ELSE 0 END,
        jsonb_build_object('id', 'evt_' || g, 'object', 'event', 'data', jsonb_build_object('object', jsonb_build_object('id', i.external_id))),
        i.created_at + make_interval(hours => g % 72), i.created_at + make_interval(hours => g % 72),
        i.created_at + make_interval(hours => g % 72)
      FROM generate_series(1, ${E}) g
      JOIN invoices i ON i.id = ${uuidOf(reserved, reserved`${salt} || 'i' || (g % ${N} + 1)`)}`;

    await reserved`SET session_replication_role = DEFAULT`;
    await rebuildDailyTotals(reserved, all);
    for (const ix of indexes) await reserved.unsafe(ix.indexdef);
    // What autovacuum does on a live database after a bulk load: statistics, and the visibility
    // map that keeps the index-only scans of the aging and collections from visiting the heap.
    for (const t of TABLES) await reserved.unsafe(`VACUUM (ANALYZE) ${t}`);
  } finally {
    await reserved`SET session_replication_role = DEFAULT`.catch(() => {});
    reserved.release();
  }

  const tenantIds = (
    await sql<{ id: string }[]>`SELECT id FROM tenants WHERE account_id = ${accountId} AND livemode = true ORDER BY id LIMIT 200`
  ).map((r) => r.id);
  const sample = await sql<{ number: string; customer_id: string }[]>`
    SELECT number, customer_id FROM invoices WHERE account_id = ${accountId} AND livemode = true
    ORDER BY id LIMIT 50`;
  const [{ newest }] = await sql<{ newest: Date }[]>`SELECT max(created_at) AS newest FROM invoices WHERE account_id = ${accountId}`;
  return {
    accountId,
    otherAccounts,
    size,
    tenantIds,
    numbers: sample.map((r) => r.number),
    customers: sample.map((r) => r.customer_id),
    newest,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The rollups of migrations 008 and 021 for these accounts, from scratch (their triggers were off while loading). */
async function rebuildDailyTotals(sql: Sql, accounts: string[]) {
  await sql`SELECT invoice_collection_days_rebuild(${accounts}::text[])`;
  await sql`DELETE FROM invoice_daily_totals WHERE account_id = ANY(${accounts}::text[])`;
  await sql`
    INSERT INTO invoice_daily_totals (account_id, livemode, day, currency, shard, invoice_count, paid_count, revenue,
                                      refunded, pending)
    SELECT account_id, livemode, (created_at AT TIME ZONE 'UTC')::date, currency, 0, count(*),
      count(*) FILTER (WHERE status = 'paid'),
      COALESCE(sum(amount_paid) FILTER (WHERE status = 'paid'), 0), COALESCE(sum(amount_refunded), 0),
      COALESCE(sum(amount_remaining) FILTER (WHERE status = 'open'), 0)
    FROM invoices WHERE account_id = ANY(${accounts}::text[]) AND NOT deleted
    GROUP BY 1, 2, 3, 4`;
}
