// config -> database -> migrations -> app -> server; SIGTERM/SIGINT drain requests and close the pool.
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { loadConfigOrReport } from './config.js';
import { MigrationChecksumError, openMigratedDatabase } from './db/migrate.js';
import { createLogger } from './logger.js';
import { configuredModes, createStripeClients } from './gateways/stripe/api-client.js';
import { startScheduler } from './jobs/scheduler.js';
import { startApplier, type Applier } from './jobs/applier.js';
import { startReconcileSchedule } from './jobs/reconcile.js';
import { startStatisticsKeeper } from './jobs/statistics.js';

async function main() {
  const config = loadConfigOrReport();
  if (!config) process.exit(1);
  const logger = createLogger(config.LOG_LEVEL);
  const started = performance.now();
  let opened;
  try {
    opened = await openMigratedDatabase(config);
  } catch (err) {
    if (err instanceof MigrationChecksumError) {
      logger.fatal(err.message);
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const { db, applied } = opened;
  if (applied.length) logger.info({ applied }, 'migrations applied');

  // Webhooks only store events; the applier applies them (and wakes on this process's webhooks).
  const deps = {
    config,
    sql: db.sql,
    logger,
    now: () => new Date(),
    stripe: createStripeClients(config),
    onEventStored: () => applier.nudge(),
  };
  const applier: Applier = startApplier(
    { sql: db.sql, logger, now: deps.now },
    // the embedded engine runs one statement at a time and its socket delivers no NOTIFY
    db.engine === 'postgres' ? { listen: true, loops: 2 } : { listen: false, loops: 1 },
  );
  const app = createApp(deps);
  const scheduler = startScheduler(
    { ...deps, allowPrivateReceivers: config.NOTIFY_ALLOW_PRIVATE },
    { schedule: config.PAST_DUE_SCHEDULE },
  );
  const reconcile = startReconcileSchedule(deps, { schedule: config.RECONCILE_SCHEDULE });
  // Plans follow the ledger as it grows, whether or not the server runs autovacuum (the embedded
  // engine does not). The embedded engine runs one statement at a time: an ANALYZE of the bench's
  // 100k invoices sampling 30,000 rows (the default) held every request for 0.4 s, 3,000 rows 0.04 s.
  const statistics = startStatisticsKeeper(deps, db.engine === 'embedded' ? { sampleTarget: 10 } : {});
  const server = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT }, (info) => {
    logger.info(
      {
        url: `http://${config.HOST}:${info.port}`,
        database: db.engine === 'embedded' ? `embedded (${config.DATA_DIR})` : 'postgres',
        ready_ms: Math.round(performance.now() - started),
        // which modes can call Stripe (actions, sync, reminders); the keys themselves never
        stripe_modes: configuredModes(deps.stripe),
      },
      'listening',
    );
    // what a fresh `npm start` still lacks, named by the variable to set (never its value)
    const unset = [
      !config.STRIPE_APP_SECRET?.length && 'STRIPE_APP_SECRET (the app signing secret, absec_…): /api answers 503 until set',
      !config.STRIPE_WEBHOOK_SECRET?.length && 'STRIPE_WEBHOOK_SECRET (whsec_…): /webhooks/stripe answers 503 until set',
    ].filter(Boolean);
    if (unset.length) logger.warn({ unset }, 'not configured yet; `npm run preview` runs the app locally without them');
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    server.close(async () => {
      await scheduler.stop(); // lets a running scan finish before the pool closes
      await applier.stop(); // lets a running batch commit
      await reconcile.stop(); // interrupts a running pass at its next request
      await statistics.stop();
      await db.close();
      clearTimeout(force);
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

await main();
