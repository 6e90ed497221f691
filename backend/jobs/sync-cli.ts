// npm run sync -- --account acct_… [--mode live|test]
// Runs a Stripe backfill for one account and mode in the terminal, with a progress bar. A run that
// fails or is interrupted (Ctrl-C) is continued from its saved cursor by the next one.
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfigOrReport, type StripeMode } from '../config.js';
import { openMigratedDatabase } from '../db/migrate.js';
import { isAccountId } from '../domain/accounts.js';
import { configuredModes, createStripeClients } from '../gateways/stripe/api-client.js';
import { createLogger } from '../logger.js';
import { SyncAlreadyRunningError, type SyncRun } from '../domain/sync-runs.js';
import { PAGE_SIZE, runBackfill } from '../gateways/stripe/backfill.js';

const USAGE = 'usage: npm run sync -- --account acct_… [--mode live|test]';

/** The command line, or the exit code when it is not one to run (help, a usage error). */
function readArgs(): { account: string; mode?: 'live' | 'test' } | number {
  let values: { account?: string; mode?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { account: { type: 'string' }, mode: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.account || !isAccountId(values.account)) {
    console.error(`--account must be a Stripe account id (acct_…)\n${USAGE}`);
    return 2;
  }
  if (values.mode !== undefined && values.mode !== 'live' && values.mode !== 'test') {
    console.error(`--mode must be live or test\n${USAGE}`);
    return 2;
  }
  return { account: values.account, mode: values.mode };
}

async function main(): Promise<number> {
  const args = readArgs();
  if (typeof args === 'number') return args;
  const values = args;
  const config = loadConfigOrReport();
  if (!config) return 1;
  const clients = createStripeClients(config);
  const keyed = configuredModes(clients);
  if (keyed.length === 0) {
    console.error("STRIPE_SECRET_KEY is not set: the backfill needs the platform's Stripe secret key");
    return 1;
  }
  // A key reaches one mode only: the mode is --mode, else the mode of the only key given.
  if (values.mode === undefined && keyed.length > 1) {
    console.error(`STRIPE_SECRET_KEY has a live and a test key: say which mode to sync with --mode\n${USAGE}`);
    return 2;
  }
  const mode = (values.mode ?? keyed[0]) as StripeMode;
  const stripe = clients[mode];
  if (!stripe) {
    console.error(`no Stripe key for ${mode} mode: STRIPE_SECRET_KEY has only a ${keyed[0]}-mode key`);
    return 1;
  }

  // Warnings (retries) show as short lines under the progress bar; routine info lines would only
  // fight with it. The logger's redaction still applies before anything is printed.
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, {
    write(line: string) {
      const { msg, error, attempt, delay_ms } = JSON.parse(line);
      const detail = [error, attempt && `attempt ${attempt}`, delay_ms && `next in ${delay_ms} ms`].filter(Boolean);
      process.stderr.write(`\n${msg}${detail.length ? ` (${detail.join(', ')})` : ''}\n`);
    },
  });
  const { db } = await openMigratedDatabase(config);
  const controller = new AbortController();
  const stop = (signal: string) => controller.abort(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => stop(signal));

  const bar = new cliProgress.SingleBar(
    {
      format: '{phase} |{bar}| {value}/{total} objects · customers {customers} · invoices {invoices} · pages {pages} · errors {errors}',
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 1000,
    },
    cliProgress.Presets.shades_classic,
  );
  const payload = (run: SyncRun) => ({
    phase: run.phase.padEnd(9),
    customers: run.customers,
    invoices: run.invoices,
    pages: run.pages,
    errors: run.errors,
  });
  try {
    let barStarted = false;
    const run = await runBackfill(
      { sql: db.sql, stripe, logger, now: () => new Date(), config },
      { accountId: values.account, livemode: mode === 'live' },
      {
        signal: controller.signal,
        onProgress(current) {
          // Stripe lists have no total: the bar counts what is known, plus a page while more remain.
          const value = current.customers + current.invoices;
          const total = value + (current.phase === 'done' ? 0 : PAGE_SIZE);
          if (!barStarted) {
            bar.start(total, value, payload(current));
            barStarted = true;
          }
          bar.setTotal(total);
          bar.update(value, payload(current));
        },
      },
    );
    if (barStarted) bar.stop();
    const counts = `${run.customers} customers, ${run.invoices} invoices, ${run.pages} pages, ${run.errors} errors`;
    if (run.state === 'succeeded') {
      console.log(`sync succeeded for ${values.account} (${mode}): ${counts}`);
      return 0;
    }
    console.error(`sync failed for ${values.account} (${mode}) after ${counts}: ${run.error}`);
    console.error('run the same command again to continue from the saved cursor');
    return 1;
  } catch (err) {
    bar.stop();
    if (err instanceof SyncAlreadyRunningError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
}

process.exitCode = await main();
