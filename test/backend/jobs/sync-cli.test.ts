// `npm run sync` as a real child process: its output, its exit codes, and a hard crash (SIGKILL)
// in the middle of a run that a later run resumes from the saved cursor.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';
import type { Scope } from '../../../backend/domain/accounts.js';
import { createStripeClient } from '../../../backend/gateways/stripe/api-client.js';
import { LEASE_MS, latestSyncRun } from '../../../backend/domain/sync-runs.js';
import { runBackfill } from '../../../backend/gateways/stripe/backfill.js';
import { createLogger } from '../../../backend/logger.js';
import { newAccountId, testSql } from '../../support/app-harness.js';
import { makeInvoice, startFakeStripe, type FakeStripe } from '../../support/fake-stripe.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const sql = testSql();
let fake: FakeStripe;

beforeEach(async () => {
  fake = await startFakeStripe();
});
afterEach(async () => {
  await fake.close();
});

function runCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/jobs/sync-cli.ts', ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: inject('databaseUrl'),
      STRIPE_SECRET_KEY: fake.secretKey,
      STRIPE_API_URL: fake.url,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => ({ stdout, stderr }) };
}

const BASE = Math.floor(Date.parse('2026-06-01T00:00:00Z') / 1000);
const seed = (accountId: string, n: number) => {
  const invoices = Array.from({ length: n }, (_, i) => makeInvoice({ created: BASE - i * 60 }));
  fake.seedInvoices(accountId, invoices);
  return invoices;
};

async function ledgerCount(scope: Scope) {
  const [row] = await sql<{ invoices: number; history: number }[]>`
    SELECT count(DISTINCT i.id)::int AS invoices, count(h.id)::int AS history
    FROM invoices i LEFT JOIN invoice_history h ON h.invoice_id = i.id
    WHERE i.account_id = ${scope.accountId} AND i.livemode = ${scope.livemode}`;
  return row;
}

describe('npm run sync', () => {
  it('backfills an account and prints a summary (mode from the key)', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    seed(scope.accountId, 120);
    const cli = runCli(['--account', scope.accountId]);
    const { code } = await cli.exited;
    expect(cli.output().stdout).toContain(`sync succeeded for ${scope.accountId} (test): 0 customers, 120 invoices, 3 pages, 0 errors`);
    expect(code).toBe(0);
    expect(await ledgerCount(scope)).toEqual({ invoices: 120, history: 120 });
    expect(fake.requests.every((r) => r.stripeAccount === scope.accountId)).toBe(true);
  });

  it('refuses bad arguments and a missing key with a clear message', async () => {
    const [noAccount, badMode, wrongMode, noKey, twoKeys] = [
      runCli([]),
      runCli(['--account', 'acct_123', '--mode', 'staging']),
      runCli(['--account', 'acct_123', '--mode', 'live']),
      runCli(['--account', 'acct_123'], { STRIPE_SECRET_KEY: '' }),
      runCli(['--account', 'acct_123'], { STRIPE_SECRET_KEY: `${fake.liveSecretKey},${fake.secretKey}` }),
    ];
    expect((await noAccount.exited).code).toBe(2);
    expect(noAccount.output().stderr).toContain('--account must be a Stripe account id');
    expect((await badMode.exited).code).toBe(2);
    expect(badMode.output().stderr).toContain('--mode must be live or test');
    expect((await wrongMode.exited).code).toBe(1);
    expect(wrongMode.output().stderr).toContain('no Stripe key for live mode');
    expect(wrongMode.output().stderr).not.toContain(fake.secretKey);
    expect((await noKey.exited).code).toBe(1);
    expect(noKey.output().stderr).toContain('STRIPE_SECRET_KEY is not set');
    // A key for each mode: the mode must be named.
    expect((await twoKeys.exited).code).toBe(2);
    expect(twoKeys.output().stderr).toContain('--mode');
    expect(twoKeys.output().stderr).not.toContain(fake.liveSecretKey);
    expect(fake.requests).toHaveLength(0);
  });

  it('survives a hard crash (SIGKILL) after page 2: the next run continues from the saved cursor', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    const seeded = seed(scope.accountId, 250);
    const gate = fake.hold((r) => r.path === '/v1/invoices' && r.query.starting_after === seeded[199].id);
    const cli = runCli(['--account', scope.accountId, '--mode', 'test']);
    await gate.reached;
    // Page 3 is requested while page 2 is saved: kill once page 2 is committed, page 3 in flight.
    await vi.waitFor(async () => expect((await latestSyncRun(sql, scope))?.invoices).toBe(200), { timeout: 10_000 });
    cli.child.kill('SIGKILL');
    expect((await cli.exited).signal).toBe('SIGKILL');
    gate.release();

    const orphan = await latestSyncRun(sql, scope);
    expect(orphan).toMatchObject({ state: 'running', phase: 'invoices', cursor: seeded[199].id, invoices: 200 });
    expect(await ledgerCount(scope)).toEqual({ invoices: 200, history: 200 });

    // Once the dead run's lease has run out, a new run takes over and continues after page 2.
    fake.requests.length = 0;
    const run = await runBackfill(
      {
        sql,
        stripe: createStripeClient({ STRIPE_SECRET_KEY: fake.secretKey, STRIPE_API_URL: fake.url })!,
        logger: createLogger('silent'),
        now: () => new Date(Date.now() + LEASE_MS + 1000),
        config: { STRIPE_ACCOUNT_ID: undefined, SYNC_MAX_REQUESTS_PER_SECOND: 50 },
      },
      scope,
    );
    expect(run).toMatchObject({ state: 'succeeded', resumed_from: orphan!.id, invoices: 250 });
    expect(fake.requests.map((r) => r.query.starting_after)).toEqual([seeded[199].id]);
    expect(await ledgerCount(scope)).toEqual({ invoices: 250, history: 250 });
  });

  it('on Ctrl-C (SIGINT) ends the run as failed and interrupted, and exits non-zero', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    const seeded = seed(scope.accountId, 250);
    const gate = fake.hold((r) => r.path === '/v1/invoices' && r.query.starting_after === seeded[99].id);
    const cli = runCli(['--account', scope.accountId]);
    await gate.reached;
    // Page 2 is requested as soon as page 1 arrives (read-ahead): stop once page 1 is saved.
    await vi.waitFor(async () => expect((await latestSyncRun(sql, scope))?.invoices).toBe(100), { timeout: 5_000 });
    cli.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 200));
    gate.release();
    const { code } = await cli.exited;
    expect(code).toBe(1);
    expect(cli.output().stderr).toContain('run the same command again');
    const run = await latestSyncRun(sql, scope);
    // It keeps what it saved: page 1, or page 2 too when its answer landed before the stop.
    expect(run).toMatchObject({ state: 'failed' });
    expect([100, 200]).toContain(run!.invoices);
    expect(run!.cursor).toBe(seeded[run!.invoices - 1].id);
    expect(run!.error).toContain('interrupted');
  });
});
