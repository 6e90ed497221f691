// config -> database -> migrations -> app -> server; SIGTERM/SIGINT drain requests and close the pool.
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { migrate } from './db/migrate.js';
import { createLogger } from './logger.js';
import { configuredModes, createStripeClients } from './gateways/stripe/api-client.js';
import { startScheduler } from './jobs/scheduler.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const started = performance.now();
  const db = await openDatabase(config);
  const applied = await migrate(db.sql);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  const deps = { config, sql: db.sql, logger, now: () => new Date(), stripe: createStripeClients(config) };
  const app = createApp(deps);
  const scheduler = startScheduler(deps, { schedule: config.PAST_DUE_SCHEDULE });
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
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    server.close(async () => {
      await scheduler.stop(); // lets a running scan finish before the pool closes
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
