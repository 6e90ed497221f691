// npm run bench [-- --quick] [-- --engine=postgres|embedded] [-- --skip=ingest,paypal,queries,export,backfill]
//
// Runs the service as a child process (the bundle npm start runs) on PostgreSQL (DATABASE_URL; if unset a
// fresh database tb_bench on postgres://postgres@127.0.0.1:5432) and on the embedded engine, and
// measures: signed Stripe invoice webhooks against the floor endpoint, PayPal webhooks, the list /
// stats / aging / collections queries and the CSV export of a seeded ledger, the daily past-due scan, and a backfill against the
// fake Stripe API. Prints a Markdown table and writes test/bench/results/latest.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import postgres from 'postgres';
import Stripe from 'stripe';
import { buildService } from '../../backend/build.js';
import { connectUrl, startEmbedded, type Database } from '../../backend/db/client.js';
import { migrate } from '../../backend/db/migrate.js';
import { appSignaturePayload } from '../../backend/http/middleware/app-auth.js';
import { runPastDueScan } from '../../backend/jobs/past-due-scan.js';
import { makeCustomer, makeInvoice, startFakeStripe, type FakeStripe } from '../support/fake-stripe.js';
import { startCertServer, type CertServer } from '../support/paypal/cert-server.js';
import { signDelivery, stripeEvent, stripeInvoice, unix, WEBHOOK_SECRET } from '../support/stripe-events.js';
import { probeReadAfterAck, waitDrained, type Drain, type ReadAfterAck } from './read-after-ack.js';
import { benchCustomer, presignPaypalSales, stripeInvoiceDeliveries } from './deliveries.js';
import { peakRssMb, runLoad, startScript, type LoadResult, type ScriptProcess } from './load.js';
import { benchExport, type ExportTiming } from './export.js';
import { benchQueries, type QueryTiming } from './queries.js';
import { seedLedger, type SeedSize } from './seed.js';
import { renderTable } from './table.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    engine: { type: 'string' },
    skip: { type: 'string', default: '' },
    seconds: { type: 'string' },
    'embedded-scale': { type: 'string' },
  },
});
const quick = args.quick!;
const skip = new Set(args.skip!.split(',').filter(Boolean));
const SECONDS = Number(args.seconds ?? (quick ? 3 : 20));
const CONNECTIONS = 32;
/**
 * The sustained load is offered at this share of the floor (issue 15: applied ≥ 50% of the floor);
 * a little over half, so that keeping up (the load's rate applied, over the load and the drain)
 * shows as at least half.
 */
const SUSTAINED_SHARE = 0.51;
/** Enough connections that the offered rate holds while answers take up to 60 ms (32 allow 15 ms). */
const SUSTAINED_CONNECTIONS = 128;
const FULL: SeedSize = { invoices: 1_000_000, events: 3_000_000, tenants: 10_000 };
const QUICK: SeedSize = { invoices: 50_000, events: 150_000, tenants: 1_000 };
// PGlite is one single-threaded WebAssembly process: the query seed is scaled down there.
const EMBEDDED_SCALE = Number(args['embedded-scale'] ?? 0.1);
const APP_SECRET = 'absec_bench_0123456789abcdef';
const PAYPAL_WEBHOOK_ID = 'WH0BENCHLIVE000001';
const BACKFILL = quick ? { customers: 200, invoices: 800 } : { customers: 2_000, invoices: 8_000 };
const BACKFILL_LATENCY_MS = 50;
const BACKFILL_RATE = 20; // SYNC_MAX_REQUESTS_PER_SECOND: the service's own limit (Stripe's test-mode limit is 25)
const silent = pino({ level: 'silent' });

export interface EngineResult {
  engine: 'postgres' | 'embedded';
  database: string;
  seed?: SeedSize & { seconds: number };
  ingest?: {
    stripe: LoadResult;
    floor: LoadResult;
    ratio: number;
    rss_mb: number | null;
    floor_rss_mb: number | null;
    /** the applier emptying the backlog the load left */
    applied?: Drain;
    /** from a delivery's 2xx until its invoice shows in GET /api/invoices, probed during the load */
    read_after_ack?: ReadAfterAck;
    /** the same at a fixed offered rate (a share of the floor): does applying keep up? */
    sustained?: { offered_per_second: number; load: LoadResult; applied: Drain; read_after_ack: ReadAfterAck };
  };
  paypal?: LoadResult & { rss_mb: number | null; applied?: Drain; read_after_ack?: ReadAfterAck };
  queries?: QueryTiming[];
  export?: ExportTiming;
  scan?: { first_seconds: number; first_entered: number; next_seconds: number; next_entered: number; invoices: number };
  backfill?: {
    objects: number;
    seconds: number;
    per_second: number;
    bound_per_second: number;
    share: number;
    latency_ms: number;
    rate_limit: number;
    state: string;
    failed_requests: number;
  };
  rss_mb?: number | null;
  notes: string[];
}

function appHeaders(accountId: string, mode: 'live' | 'test'): Record<string, string> {
  const payload = appSignaturePayload(mode === 'live', 'usr_bench', accountId);
  return {
    'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: APP_SECRET }),
    'stripe-user-id': 'usr_bench',
    'stripe-account-id': accountId,
    'stripe-mode': mode,
    'content-type': 'application/json',
  };
}

export async function api(url: string, accountId: string, method: string, p: string, body?: unknown, mode: 'live' | 'test' = 'live') {
  const send = () =>
    fetch(`${url}${p}`, { method, headers: appHeaders(accountId, mode), body: body === undefined ? undefined : JSON.stringify(body) });
  // a GET again once when the server had closed the pooled connection (keep-alive ran out meanwhile)
  const res = await send().catch((err) => {
    if (method !== 'GET' || (err as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw err;
    return send();
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

const log = (msg: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function postgresDatabase(): Promise<{ url: string; note: string | null }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, note: null };
  const admin = postgres('postgres://postgres@127.0.0.1:5432/postgres', { max: 1, onnotice: () => {} });
  await admin.unsafe('DROP DATABASE IF EXISTS tb_bench WITH (FORCE)');
  await admin.unsafe('CREATE DATABASE tb_bench');
  await admin.end();
  return {
    url: 'postgres://postgres@127.0.0.1:5432/tb_bench',
    note: 'DATABASE_URL was unset: created a fresh database tb_bench on postgres://postgres@127.0.0.1:5432',
  };
}

/**
 * PostgreSQL: the loads and the queries are measured once the invoices and events written by the
 * seed, the scan and the loads were vacuumed, as autovacuum does within about a minute in service with migration 023's
 * setting (an index-only scan reads the table for every row of a page not yet marked
 * all-visible). Where the server runs without autovacuum (this machine's CI configuration turns
 * it off), the bench runs the VACUUM itself; else it waits for autovacuum (up to 3 minutes).
 */
async function vacuumedAsInService(db: Database, since: Date, before: string): Promise<string> {
  const [{ on }] = await db.sql<{ on: boolean }[]>`SELECT current_setting('autovacuum') = 'on' AS on`;
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(0);
  if (!on) {
    await db.sql`VACUUM (ANALYZE) invoices, payment_events`;
    return `autovacuum is off on this server: the bench ran VACUUM (ANALYZE) of invoices and payment_events before the ${before} (${seconds()} s)`;
  }
  while (performance.now() - started < 180_000) {
    const [row] = await db.sql<{ done: boolean }[]>`
      SELECT COALESCE(last_autovacuum > ${since}, false) AS done FROM pg_stat_user_tables
      WHERE relid = 'invoices'::regclass`;
    if (row?.done) return `${before} measured after autovacuum visited the invoices (${seconds()} s of waiting)`;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return `autovacuum had not visited the invoices within 3 minutes: ${before} measured before it`;
}

async function timeScan(db: Database) {
  const deps = { sql: db.sql, logger: silent, now: () => new Date(), stripe: null };
  const [{ count }] = await db.sql<{ count: number }[]>`SELECT count(*)::int AS count FROM invoices`;
  let t = performance.now();
  const first = await runPastDueScan(deps);
  const firstSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const next = await runPastDueScan(deps);
  const nextSeconds = (performance.now() - t) / 1000;
  if (!first.ran || !next.ran) throw new Error('the past-due scan did not run (lease held)');
  return {
    first_seconds: firstSeconds,
    first_entered: first.summary.entered,
    next_seconds: nextSeconds,
    next_entered: next.summary.entered,
    invoices: count,
  };
}

interface Bundles {
  service: string;
  floor: string;
}

async function runEngine(engine: 'postgres' | 'embedded', certs: CertServer, fake: FakeStripe, bundles: Bundles): Promise<EngineResult> {
  const result: EngineResult = { engine, database: '', notes: [] };
  const tmp = mkdtempSync(path.join(os.tmpdir(), `tb-bench-${engine}-`));
  const seedSize = quick ? QUICK : FULL;
  const size =
    engine === 'embedded'
      ? {
          invoices: Math.round(seedSize.invoices * EMBEDDED_SCALE),
          events: Math.round(seedSize.events * EMBEDDED_SCALE),
          tenants: Math.round(seedSize.tenants * EMBEDDED_SCALE),
        }
      : seedSize;
  let dbEnv: Record<string, string>;
  let floorEnv: Record<string, string>;
  let db: Database;
  if (engine === 'postgres') {
    const { url, note } = await postgresDatabase();
    if (note) result.notes.push(note);
    result.database = url.replace(/\/\/[^@]*@/, '//');
    db = connectUrl(url, 4);
    dbEnv = { DATABASE_URL: url };
    floorEnv = { DATABASE_URL: url };
  } else {
    const dataDir = path.join(tmp, 'service');
    db = await startEmbedded(dataDir, 1, 4);
    result.database = 'embedded PGlite (a fresh DATA_DIR)';
    dbEnv = { DATA_DIR: dataDir };
    floorEnv = { DATA_DIR: path.join(tmp, 'floor') };
    if (EMBEDDED_SCALE !== 1) result.notes.push(`embedded query seed scaled to ${EMBEDDED_SCALE} of the PostgreSQL one`);
  }

  let service: ScriptProcess | null = null;
  try {
    await migrate(db.sql);
    let seeded = null;
    let scanEnded: Date | null = null;
    if (!skip.has('queries')) {
      log(`${engine}: seeding ${size.invoices} invoices, ${size.events} events, ${size.tenants} tenants`);
      seeded = await seedLedger(db.sql, size);
      result.seed = { ...size, seconds: seeded.seconds };
      log(`${engine}: seeded in ${seeded.seconds.toFixed(1)} s; running the daily past-due scan`);
      result.scan = await timeScan(db);
      scanEnded = new Date();
      // The loads run on a ledger autovacuum has visited, as in service: on freshly seeded tables
      // every first read of a row also writes its hint bits (a 60 s webhook load acknowledged 1,265/s
      // right after the seed, 1,922/s after the VACUUM).
      if (engine === 'postgres') result.notes.push(await vacuumedAsInService(db, scanEnded, 'loads'));
    }
    // The embedded engine allows one process: the service opens it next.
    if (engine === 'embedded') await db.close();

    service = await startScript(bundles.service, {
      ...dbEnv,
      PORT: '0',
      LOG_LEVEL: 'info',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_APP_SECRET: APP_SECRET,
      STRIPE_SECRET_KEY: fake.secretKey,
      STRIPE_API_URL: fake.url,
      SYNC_MAX_REQUESTS_PER_SECOND: String(BACKFILL_RATE),
      PAYPAL_CERT_URL_PREFIXES: certs.prefix,
    });
    const url = service.url;

    if (!skip.has('ingest')) {
      const account = `acct_ingest${Date.now().toString(36)}`;
      // Tenants linked to the first customers: resolution goes through links and through metadata lookups.
      for (let t = 0; t < 25; t++) {
        const tenant = await api(url, account, 'POST', '/api/tenants', { name: `Bench tenant ${t}`, external_ref: `bench-${t}` });
        for (let l = 0; l < 4; l++) {
          await api(url, account, 'POST', `/api/tenants/${tenant.id}/links`, { gateway: 'stripe', external_id: benchCustomer(t * 4 + l) });
        }
      }
      // The floor first: the sustained load is offered at a share of it.
      const floorProcess = await startScript(bundles.floor, { ...floorEnv, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET }).catch(
        (err) => {
          throw new Error(`floor server: ${err.message}`);
        },
      );
      let floor: LoadResult;
      let floorRss: number | null;
      try {
        log(`${engine}: floor ${SECONDS} s, ${CONNECTIONS} connections`);
        floor = await runLoad(floorProcess.url, '/webhooks/stripe', stripeInvoiceDeliveries(account), {
          connections: CONNECTIONS,
          seconds: SECONDS,
        });
        floorRss = peakRssMb(floorProcess.pid);
      } finally {
        await floorProcess.stop();
      }
      if (engine === 'postgres') {
        const cleanup = postgres(dbEnv.DATABASE_URL, { max: 1, onnotice: () => {} });
        await cleanup`DROP TABLE IF EXISTS bench_floor_events`;
        await cleanup.end();
      }
      log(`${engine}: floor ${floor.per_second.toFixed(0)}/s p99 ${floor.p99_ms} ms`);

      // A load of signed deliveries with the read-after-ack probe beside it, then the drain.
      const stripeLoad = async (rate?: number) => {
        const connections = rate ? SUSTAINED_CONNECTIONS : CONNECTIONS;
        const loading = runLoad(url, '/webhooks/stripe', stripeInvoiceDeliveries(account), { connections, seconds: SECONDS, rate });
        const readAfterAck = probeReadAfterAck(
          url,
          '/webhooks/stripe',
          () => {
            const invoice = stripeInvoice({ created: unix(new Date()) });
            return { delivery: signDelivery(stripeEvent('invoice.finalized', invoice, { account, created: invoice.created })), externalId: invoice.id };
          },
          async (id) => (await api(url, account, 'GET', `/api/invoices?q=${id}`, undefined, 'test')).data.length > 0,
          loading,
        );
        const load = await loading;
        const applied = await waitDrained(url, load.ok, load.seconds);
        return { load, applied, read_after_ack: await readAfterAck };
      };
      const summary = (what: string, r: Awaited<ReturnType<typeof stripeLoad>>) =>
        log(
          `${engine}: ${what}: acknowledged ${r.load.per_second.toFixed(0)}/s p99 ${r.load.p99_ms} ms; applied ` +
            `${r.applied.applied_per_second.toFixed(0)}/s (backlog ${r.applied.backlog_at_end} drained ${r.applied.seconds_after_load.toFixed(1)} s ` +
            `after the load); read-after-ack p50 ${r.read_after_ack.p50_ms} ms p99 ${r.read_after_ack.p99_ms} ms`,
        );

      log(`${engine}: ingest ${SECONDS} s, ${CONNECTIONS} connections, as fast as answered`);
      const saturated = await stripeLoad();
      summary('as fast as answered', saturated);
      const rate = Math.round(floor.per_second * SUSTAINED_SHARE);
      log(`${engine}: ingest ${SECONDS} s at ${rate}/s (${Math.round(SUSTAINED_SHARE * 100)}% of the floor), ${SUSTAINED_CONNECTIONS} connections`);
      const sustained = await stripeLoad(rate);
      summary(`at ${rate}/s`, sustained);
      const rss = peakRssMb(service.pid);
      result.ingest = {
        stripe: saturated.load,
        floor,
        ratio: saturated.load.per_second / floor.per_second,
        rss_mb: rss,
        floor_rss_mb: floorRss,
        applied: saturated.applied,
        read_after_ack: saturated.read_after_ack,
        sustained: { offered_per_second: rate, ...sustained },
      };
    }

    if (!skip.has('paypal')) {
      const account = `acct_paypal${Date.now().toString(36)}`;
      await api(url, account, 'PUT', '/api/settings', { paypal_webhook_id: PAYPAL_WEBHOOK_ID });
      // Enough signed deliveries for the run at the Stripe rate measured (+30%), within bounds.
      const expected = result.ingest?.stripe.per_second ?? 1_000;
      const count = Math.min(40_000, Math.max(2_000, Math.ceil(expected * 1.3 * SECONDS)));
      log(`${engine}: presigning ${count} PayPal deliveries`);
      const pool = presignPaypalSales(count, PAYPAL_WEBHOOK_ID, certs.certUrl());
      const probes = presignPaypalSales(Math.max(200, SECONDS * 100), PAYPAL_WEBHOOK_ID, certs.certUrl());
      let i = 0;
      let p = 0;
      const loading = runLoad(url, `/webhooks/paypal/${account}`, () => pool[i++] ?? null, {
        connections: CONNECTIONS,
        seconds: SECONDS,
        amount: count,
      });
      const readAfterAck = probeReadAfterAck(
        url,
        `/webhooks/paypal/${account}`,
        () => {
          const delivery = probes[p++];
          return delivery ? { delivery, externalId: (JSON.parse(delivery.body) as { resource: { id: string } }).resource.id } : null;
        },
        async (id) => (await api(url, account, 'GET', `/api/invoices?q=${id}`, undefined, 'live')).data.length > 0,
        loading,
      );
      const paypal = await loading;
      const applied = await waitDrained(url, paypal.ok, paypal.seconds);
      const paypalReadAfterAck = await readAfterAck;
      result.paypal = { ...paypal, rss_mb: peakRssMb(service.pid), applied, read_after_ack: paypalReadAfterAck };
      log(
        `${engine}: paypal acknowledged ${paypal.per_second.toFixed(0)}/s p99 ${paypal.p99_ms} ms; applied ` +
          `${applied.applied_per_second.toFixed(0)}/s (drained ${applied.seconds_after_load.toFixed(1)} s after the load); ` +
          `read-after-ack p50 ${paypalReadAfterAck.p50_ms} ms p99 ${paypalReadAfterAck.p99_ms} ms`,
      );
    }

    if (seeded) {
      if (engine === 'postgres' && scanEnded) {
        log(`${engine}: vacuum of what the loads wrote, as in service`);
        result.notes.push(await vacuumedAsInService(db, new Date(), 'queries'));
      }
      log(`${engine}: queries`);
      result.queries = await benchQueries(url, seeded, quick ? 15 : 60, (m, p) => api(url, seeded.accountId, 'GET', p));
      if (!skip.has('export')) {
        log(`${engine}: CSV export of the seeded account's invoices`);
        result.export = await benchExport(url, service.pid, (p, body) => api(url, seeded.accountId, 'POST', p, body));
        log(`${engine}: export ${result.export.rows} rows at ${result.export.rows_per_second.toFixed(0)}/s, peak RSS ${result.export.peak_rss_mb} MB`);
      }
    }

    if (!skip.has('backfill')) {
      const account = `acct_backfill${Date.now().toString(36)}`;
      const customers = Array.from({ length: BACKFILL.customers }, (_, n) => makeCustomer({ id: `cus_bf${n}`, livemode: false }));
      fake.seedCustomers(account, customers);
      fake.seedInvoices(
        account,
        Array.from({ length: BACKFILL.invoices }, (_, n) =>
          makeInvoice({ customer: `cus_bf${n % BACKFILL.customers}`, livemode: false }),
        ),
      );
      fake.setLatency(BACKFILL_LATENCY_MS);
      fake.setRateLimit(25);
      log(`${engine}: backfill of ${BACKFILL.customers + BACKFILL.invoices} objects`);
      await api(url, account, 'POST', '/api/sync', undefined, 'test');
      let run: { state: string; counts: { customers: number; invoices: number; errors: number }; started_at: string; finished_at: string | null };
      for (;;) {
        await new Promise((r) => setTimeout(r, 250));
        run = await api(url, account, 'GET', '/api/sync', undefined, 'test');
        if (run.state !== 'running') break;
      }
      const objects = run.counts.customers + run.counts.invoices;
      const seconds = (Date.parse(run.finished_at!) - Date.parse(run.started_at)) / 1000;
      // Cursor paging is sequential: at most one page per round trip, and at most the rate limit.
      const bound = Math.min(BACKFILL_RATE, 1000 / BACKFILL_LATENCY_MS) * 100;
      result.backfill = {
        objects,
        seconds,
        per_second: objects / seconds,
        bound_per_second: bound,
        share: objects / seconds / bound,
        latency_ms: BACKFILL_LATENCY_MS,
        rate_limit: BACKFILL_RATE,
        state: run.state,
        failed_requests: run.counts.errors,
      };
      log(`${engine}: backfill ${(objects / seconds).toFixed(0)} objects/s (${run.state})`);
    }
    result.rss_mb = peakRssMb(service.pid);
  } finally {
    await service?.stop();
    if (engine === 'postgres') await db.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  return result;
}

async function main() {
  const engines = (args.engine ? [args.engine] : ['postgres', 'embedded']) as ('postgres' | 'embedded')[];
  const started = new Date();
  const load = os.loadavg();
  const certs = await startCertServer();
  const fake = await startFakeStripe();
  const results: EngineResult[] = [];
  // What `npm start` runs (backend/build.ts), and the floor built the same way: both on plain Node.
  // (Inside the checkout: the bundles import their packages from its node_modules.)
  const bundles = {
    service: await buildService({ outdir: 'test/artifacts/bench/service' }),
    floor: await buildService({ entry: 'test/bench/floor-server.ts', outdir: 'test/artifacts/bench/floor' }),
  };
  try {
    for (const engine of engines) results.push(await runEngine(engine, certs, fake, bundles));
  } finally {
    await fake.close();
    await certs.close();
  }
  const machine = {
    cores: os.cpus().length,
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    load_average_at_start: load.map((x) => Math.round(x * 100) / 100),
  };
  const report = { started_at: started.toISOString(), quick, seconds: SECONDS, connections: CONNECTIONS, machine, results };
  const dir = path.join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'latest.json'), JSON.stringify(report, null, 2));
  console.log(renderTable(report));
}

await main();
process.exit(0);
