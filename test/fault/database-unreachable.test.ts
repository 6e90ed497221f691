// The database becomes unreachable for several seconds under load (the service reaches PostgreSQL
// through a TCP proxy that is cut): webhooks answer 503, never 2xx, /readyz answers 503, and the
// service recovers without a restart so that the sender's retries all land.
import { inject } from 'vitest';
import { APP_SECRET, newAccountId, testSql } from '../support/app-harness.js';
import { startService, type ServiceProcess } from '../support/service-process.js';
import { WEBHOOK_SECRET } from '../support/stripe-events.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { invoiceLifecycles, ledgerOf, linkTenants, sendChains, storedEvents, waitForApplied, type Attempt } from './support.js';

const postgres = inject('databaseEngine') === 'postgres';
const CUT_MS = 4_000;

describe.skipIf(!postgres)('database unreachable under load (PostgreSQL)', () => {
  let svc: ServiceProcess | undefined;
  let proxy: TcpProxy | undefined;
  afterAll(async () => {
    await svc?.stop('SIGKILL');
    await proxy?.close();
  });

  it('answers 503 while the database is away and stores every retried event once it is back', async () => {
    const sql = testSql();
    const url = new URL(inject('databaseUrl'));
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    svc = await startService({
      DATABASE_URL: proxy.urlFor(inject('databaseUrl')),
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_APP_SECRET: APP_SECRET,
      LOG_LEVEL: 'info',
    });
    const base = svc.url;
    const account = newAccountId();
    const reference = newAccountId();
    await linkTenants(base, account);
    await linkTenants(base, reference);
    await sendChains(() => base, invoiceLifecycles(reference, 120), [], 8);

    const attempts: Attempt[] = [];
    const readiness: { at: number; status: number }[] = [];
    let cutAt = 0;
    let restoredAt = 0;
    let stored = 0;
    const sending = sendChains(() => base, invoiceLifecycles(account, 120), attempts, 8, () => stored++);

    // Cut once the load is under way; probe /readyz throughout.
    while (stored < 150) await new Promise((r) => setTimeout(r, 20));
    proxy.cut();
    cutAt = Date.now();
    while (Date.now() - cutAt < CUT_MS) {
      const res = await fetch(`${base}/readyz`).catch((err) => {
        throw new Error(`the service stopped answering: ${err.message}\n${svc!.output().slice(-3000)}`);
      });
      readiness.push({ at: Date.now(), status: res.status });
      await new Promise((r) => setTimeout(r, 200));
    }
    proxy.restore();
    restoredAt = Date.now();
    await sending;
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);

    // While cut: deliveries that started after the cut and ended before the restore were all 503.
    const duringCut = attempts.filter((a) => a.start > cutAt + 100 && a.end < restoredAt);
    expect(duringCut.length).toBeGreaterThan(10);
    expect(new Set(duringCut.map((a) => a.status))).toEqual(new Set([503]));
    expect(readiness.filter((r) => r.at > cutAt + 100).every((r) => r.status === 503)).toBe(true);
    // Nothing else than 200 and 503 was ever answered; and no connection was dropped.
    expect(new Set(attempts.map((a) => a.status))).toEqual(new Set([200, 503]));

    // Recovered without restart: every event stored once (and applied once the applier caught up),
    // the same ledger as an undisturbed account.
    await waitForApplied(sql, reference);
    await waitForApplied(sql, account);
    expect(await storedEvents(sql, account)).toEqual({ rows: 600, distinct_ids: 600, unprocessed: 0 });
    expect(await ledgerOf(sql, account)).toEqual(await ledgerOf(sql, reference));
    expect(svc.child.exitCode).toBeNull();
  }, 120_000);
});
