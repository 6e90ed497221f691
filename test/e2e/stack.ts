// The whole app for browser tests: the preview (fake Stripe API, the real backend as a child
// process on the test database, the preview page hosting the real views), filled with the demo
// through the real webhook endpoints, and Chromium (Debian's, else the npm package's: browser.ts)
// driven by playwright-core.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { signAppPayload } from '../../stripe-app/preview/dev/dev-session.js';
import { startPreview, type Preview } from '../../stripe-app/preview/server.js';
import { fillDemo, type DemoReport, type DemoTarget } from '../support/demo/fill.js';
import { newAccountId } from '../support/app-harness.js';
import { chooseBrowser, type BrowserChoice } from './browser.js';

export const ARTIFACTS = path.resolve(import.meta.dirname, '../artifacts/e2e');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const uncaught = new WeakMap<Page, string[]>();
/** Uncaught errors of the page's scripts (views and host) since it was opened. */
export const pageErrors = (page: Page): string[] => uncaught.get(page) ?? [];

export interface Stack {
  preview: Preview;
  accountId: string;
  userId: string;
  pageUrl: string;
  backendUrl: string;
  demo: DemoTarget;
  report: DemoReport;
  browser: BrowserContext;
  /** which Chromium runs (E2E_BROWSER) */
  chromium: BrowserChoice;
  /** a signed /api call as the preview's user (mode test unless given) */
  api<T = any>(method: string, path: string, body?: unknown, mode?: 'test' | 'live'): Promise<{ status: number; body: T }>;
  /** a new tab on the preview with the given viewport, mode and object */
  open(viewport: string, opts?: { mode?: 'test' | 'live'; object?: string }): Promise<Page>;
  /** saves test/artifacts/e2e/<name>.png; the whole page unless `viewportOnly` (for overlays) */
  screenshot(page: Page, name: string, opts?: { viewportOnly?: boolean }): Promise<string>;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const accountId = newAccountId();
  const userId = 'usr_e2e';
  const preview = await startPreview({
    databaseUrl: inject('databaseUrl'),
    accountId,
    userId,
    logFile: path.join(ARTIFACTS, `backend-${accountId}.log`),
  });
  const cleanups: (() => Promise<void> | void)[] = [() => preview.stop()];
  try {
    const demo: DemoTarget = {
      backendUrl: preview.backend.url,
      accountId,
      userId,
      appSecret: preview.secrets.appSecret,
      webhookSecret: preview.secrets.webhookSecret,
      paypalCertUrl: preview.page.paypalCertUrl,
      seedStripe: async ({ customers, invoices }) => {
        preview.stripe.seedCustomers(accountId, customers);
        preview.stripe.seedInvoices(accountId, invoices);
      },
    };
    const report = await fillDemo(demo);
    const choice = await chooseBrowser();
    const profile = mkdtempSync(path.join(tmpdir(), 'tb-e2e-chromium-'));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: choice.executablePath,
      env: choice.env,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    cleanups.unshift(async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    });
    const base = preview.backend.url;
    return {
      preview,
      accountId,
      userId,
      pageUrl: preview.page.url,
      backendUrl: base,
      demo,
      report,
      browser,
      chromium: choice,
      async api(method, p, body, mode = 'test') {
        const res = await fetch(`${base}/api${p}`, {
          method,
          headers: {
            'stripe-signature': signAppPayload(
              preview.secrets.appSecret,
              { user_id: userId, account_id: accountId },
              { livemode: mode === 'live' },
            ),
            'stripe-user-id': userId,
            'stripe-account-id': accountId,
            'stripe-mode': mode,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json().catch(() => null)) as any };
      },
      async open(viewport, opts = {}) {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        uncaught.set(page, errors);
        page.setDefaultTimeout(10_000);
        const q = new URLSearchParams({ viewport, mode: opts.mode ?? 'test' });
        if (opts.object) q.set('object', opts.object);
        await page.goto(`${preview.page.url}/?${q}`);
        return page;
      },
      async screenshot(page, name, opts = {}) {
        const file = path.join(ARTIFACTS, `${name}.png`);
        if (!opts.viewportOnly) await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: file, fullPage: !opts.viewportOnly });
        return file;
      },
      async stop() {
        for (const c of cleanups) await c();
      },
    };
  } catch (err) {
    for (const c of cleanups) await c();
    throw err;
  }
}

/** Every invoice of the account in `mode`, through the API (all pages). */
export async function allInvoices(stack: Stack, query = '', mode: 'test' | 'live' = 'test') {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const sep = query ? '&' : '';
    const r: { status: number; body: any } = await stack.api(
      'GET',
      `/invoices?${query}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      undefined,
      mode,
    );
    if (r.status !== 200) throw new Error(`GET /api/invoices answered ${r.status}: ${JSON.stringify(r.body)}`);
    out.push(...r.body.data);
    cursor = r.body.next_cursor;
  } while (cursor);
  return out;
}
