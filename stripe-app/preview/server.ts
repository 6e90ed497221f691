// `npm run preview`: the app without Stripe. Starts a local fake of the Stripe API, the real
// backend (`backend/main.ts`, embedded database in .data/preview/db) configured with secrets
// generated for this run, and the preview page that hosts the app's real views. `npm run demo`
// then fills it with data through the real webhook endpoints. Refused when NODE_ENV=production.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type Stripe from 'stripe';
import {
  assertDevAllowed,
  createDevSecrets,
  DevModeRefusedError,
  removePreviewSession,
  writePreviewSession,
  type DevSecrets,
} from './dev/dev-session.js';
import { startFakeStripe, type FakeStripe } from '../../test/support/fake-stripe.js';
import { invoicingRoutes } from '../../test/support/fake-stripe-invoicing.js';
import { ROOT } from './manifest.js';
import { startPageServer, type PageServer } from './page-server.js';

/** The account and user the preview signs in as (any acct_… works; this one is easy to spot). */
export const PREVIEW_ACCOUNT_ID = 'acct_1PreviewTenantBill';
export const PREVIEW_USER_ID = 'usr_preview_admin';
export const PREVIEW_DIR = path.join(ROOT, '.data', 'preview');

export interface RunningBackend {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `backend/main.ts` in a child process and resolves with its URL once it listens. */
export function startBackend(env: Record<string, string>, logFile: string, timeoutMs = 60_000): Promise<RunningBackend> {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let seen = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the backend did not start within ${timeoutMs} ms; see ${logFile}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      seen += chunk.toString();
      const line = seen.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (!line) return;
      seen = '';
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.on('data', (c: Buffer) => log.write(c));
      resolve({
        url: JSON.parse(line).url as string,
        child,
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
          log.end();
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => log.write(c));
    exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the backend exited before listening; see ${logFile}\n${seen.slice(-2000)}`));
    });
  });
}

export interface Preview {
  page: PageServer;
  backend: RunningBackend;
  stripe: FakeStripe;
  secrets: DevSecrets;
  stop(): Promise<void>;
}

export interface PreviewOptions {
  backendPort?: number;
  pagePort?: number;
  /** embedded database folder; a DATABASE_URL instead uses that PostgreSQL */
  dataDir?: string;
  databaseUrl?: string;
  accountId?: string;
  userId?: string;
  logFile?: string;
}

/** Fake Stripe API + backend + page, wired together with this run's dev secrets. */
export async function startPreview(opts: PreviewOptions = {}): Promise<Preview> {
  assertDevAllowed();
  const secrets = createDevSecrets();
  const accountId = opts.accountId ?? PREVIEW_ACCOUNT_ID;
  const userId = opts.userId ?? PREVIEW_USER_ID;
  const stripe = await startFakeStripe({ routes: invoicingRoutes() });
  const page = await startPageServer({
    secrets,
    accountId,
    userId,
    port: opts.pagePort ?? 0,
    // The demo seeds the fake Stripe API with the objects it announces by webhook, so actions
    // on them (void, retry…) reach an API that knows them.
    // Only missing objects: a second demo run must not undo what actions changed since.
    seedStripe: (body: { customers?: Stripe.Customer[]; invoices?: Stripe.Invoice[] }) => {
      const known = stripe.account(accountId);
      stripe.seedCustomers(accountId, (body.customers ?? []).filter((c) => !known.customers.has(c.id)));
      stripe.seedInvoices(accountId, (body.invoices ?? []).filter((i) => !known.invoices.has(i.id)));
    },
  }).catch(async (err) => {
    await stripe.close();
    throw err;
  });
  let backend: RunningBackend;
  try {
    backend = await startBackend(
      {
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(opts.backendPort ?? 0),
        ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : { DATA_DIR: opts.dataDir ?? path.join(PREVIEW_DIR, 'db') }),
        STRIPE_APP_SECRET: secrets.appSecret,
        STRIPE_WEBHOOK_SECRET: secrets.webhookSecret,
        // one key per mode, as in production: live and test actions each reach the fake with their own key
        STRIPE_SECRET_KEY: `${stripe.liveSecretKey},${stripe.secretKey}`,
        STRIPE_API_URL: stripe.url,
        PAYPAL_CERT_URL_PREFIXES: page.paypalCertPrefix,
        LOG_LEVEL: 'info',
      },
      opts.logFile ?? path.join(PREVIEW_DIR, 'backend.log'),
    );
  } catch (err) {
    await page.close();
    await stripe.close();
    throw err;
  }
  page.setBackendUrl(backend.url);
  return {
    page,
    backend,
    stripe,
    secrets,
    async stop() {
      await backend.stop();
      await page.close();
      await stripe.close();
    },
  };
}

async function main() {
  try {
    assertDevAllowed();
  } catch (err) {
    if (err instanceof DevModeRefusedError) {
      console.error(`npm run preview: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const backendPort = Number(process.env.PREVIEW_BACKEND_PORT ?? 4242);
  const pagePort = Number(process.env.PREVIEW_PORT ?? 4243);
  // a running `npm start` holds 4242: say so, rather than "the backend exited" from the child
  for (const [port, variable] of [[backendPort, 'PREVIEW_BACKEND_PORT'], [pagePort, 'PREVIEW_PORT']] as const) {
    if (await portInUse(port)) {
      console.error(`npm run preview: port ${port} is in use — stop the other process (a running \`npm start\`?) or set ${variable}`);
      process.exit(1);
    }
  }
  const preview = await startPreview({ backendPort, pagePort });
  writePreviewSession(PREVIEW_DIR, {
    backend_url: preview.backend.url,
    page_url: preview.page.url,
    account_id: PREVIEW_ACCOUNT_ID,
    user_id: PREVIEW_USER_ID,
    app_secret: preview.secrets.appSecret,
    webhook_secret: preview.secrets.webhookSecret,
    paypal_cert_url: preview.page.paypalCertUrl,
    stripe_api_url: preview.stripe.url,
    pid: process.pid,
  });
  console.log(
    [
      '',
      `  Preview page   ${preview.page.url}`,
      `  Backend        ${preview.backend.url}   (embedded database in .data/preview/db, log in .data/preview/backend.log)`,
      `  Stripe API     ${preview.stripe.url}   (local fake)`,
      '',
      '  Fill it with demo data:  npm run demo',
      '  Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    removePreviewSession(PREVIEW_DIR);
    await preview.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Whether something already listens on 127.0.0.1:port (0 asks for any free port: never in use). */
function portInUse(port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(true) : reject(err)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((err) => {
    removePreviewSession(PREVIEW_DIR);
    console.error(`npm run preview failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
