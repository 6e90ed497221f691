// The preview page server: serves the bundled host page and the app's views, the preview's
// config, dev app signatures (what fetchStripeSignature() gets from the Dashboard) and the dev
// PayPal certificate. Dev-only: refuses to start when NODE_ENV=production.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type Stripe from 'stripe';
import { assertDevAllowed, signAppPayload, type DevSecrets } from './dev/dev-session.js';
import { createBundler, type Bundle } from './build.js';
import { findApp, ROOT } from './manifest.js';
import type { PreviewConfig } from './host/types.js';

/** The self-signed test certificate the demo signs PayPal events for (CN messageverificationcerts.sandbox.paypal.com). */
export const DEV_PAYPAL_CERT = path.join(ROOT, 'test', 'support', 'paypal', 'cert.pem');
export const DEV_PAYPAL_KEY = path.join(ROOT, 'test', 'support', 'paypal', 'key.pem');
export const PAYPAL_CERT_PATH = '/__preview/paypal/certs/';

export interface PageServerOptions {
  secrets: DevSecrets;
  accountId: string;
  userId: string;
  host?: string;
  port?: number;
  /** puts the demo's Stripe objects into the fake Stripe API the preview backend calls */
  seedStripe?: (body: { customers?: Stripe.Customer[]; invoices?: Stripe.Invoice[] }) => void;
}

export interface PageServer {
  url: string;
  /** where the backend should allow PayPal certificates from */
  paypalCertPrefix: string;
  paypalCertUrl: string;
  setBackendUrl(url: string): void;
  close(): Promise<void>;
}

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Preview</title>
<link rel="stylesheet" href="/styles.css">
</head>
<body><div id="root"></div><script type="module" src="/preview.js"></script></body>
</html>`;

function buildFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return `document.body.innerHTML = '<pre style="padding:24px;color:#c0123c;white-space:pre-wrap"></pre>';
document.querySelector('pre').textContent = ${JSON.stringify(`The preview bundle failed to build:\n\n${message}`)};`;
}

export async function startPageServer(opts: PageServerOptions): Promise<PageServer> {
  assertDevAllowed();
  const bundler = await createBundler();
  let backendUrl = '';
  const app = new Hono();

  app.get('/', (c) => c.html(HTML));
  // The page asks for preview.js and styles.css together: one (incremental) build serves both,
  // so edits to the views or the stand-ins show on reload.
  let building: Promise<Bundle> | null = null;
  const build = () => {
    building ??= bundler.build().finally(() => {
      building = null;
    });
    return building;
  };
  app.get('/preview.js', async (c) => {
    try {
      const bundle = await build();
      return c.body(bundle.js, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
    } catch (err) {
      return c.body(buildFailure(err), 200, { 'content-type': 'text/javascript; charset=utf-8' });
    }
  });
  app.get('/favicon.ico', (c) => {
    const { manifest, manifestPath } = findApp();
    const icon = manifest.icon;
    if (!icon) return c.body(null, 204);
    try {
      return c.body(readFileSync(path.resolve(path.dirname(manifestPath), icon)), 200, { 'content-type': 'image/png' });
    } catch {
      return c.body(null, 204);
    }
  });
  app.get('/styles.css', async (c) => {
    const css = await build().then((b) => b.css, () => '');
    return c.body(css, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-store' });
  });

  app.get('/__preview/config', (c) => {
    const { manifest } = findApp();
    const csp = manifest.ui_extension?.content_security_policy ?? {};
    const connectSrc = [...((csp['connect-src'] as string[] | undefined) ?? []), `${backendUrl}/`];
    const config: PreviewConfig = {
      app: {
        id: manifest.id,
        name: manifest.name,
        version: manifest.version,
        permissions: (manifest.permissions ?? []).map((p) => p.permission),
        connectSrc,
        constants: manifest.constants ?? {},
      },
      views: manifest.ui_extension?.views ?? [],
      backendUrl,
      accountId: opts.accountId,
      userId: opts.userId,
    };
    return c.json(config);
  });

  // The Dashboard signs for the signed-in user and account only; so does the preview.
  app.post('/__preview/signature', async (c) => {
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body || body.user_id !== opts.userId || body.account_id !== opts.accountId) {
      return c.json({ error: { code: 'forbidden', message: 'the preview signs only for its own user and account' } }, 403);
    }
    const { user_id: _u, account_id: _a, ...extra } = body;
    const signature = signAppPayload(opts.secrets.appSecret, { user_id: opts.userId, account_id: opts.accountId }, extra);
    return c.json({ signature });
  });

  app.post('/__preview/stripe/seed', async (c) => {
    if (!opts.seedStripe) return c.json({ error: { code: 'not_found', message: 'no fake Stripe API in this preview' } }, 404);
    const body = (await c.req.json().catch(() => null)) as { customers?: Stripe.Customer[]; invoices?: Stripe.Invoice[] } | null;
    if (!body || typeof body !== 'object') return c.json({ error: { code: 'invalid_request', message: 'expected JSON' } }, 400);
    opts.seedStripe(body);
    return c.json({ seeded: { customers: body.customers?.length ?? 0, invoices: body.invoices?.length ?? 0 } });
  });

  app.get(`${PAYPAL_CERT_PATH}dev-cert.pem`, (c) =>
    c.body(readFileSync(DEV_PAYPAL_CERT, 'utf8'), 200, { 'content-type': 'application/x-pem-file' }),
  );

  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: opts.port ?? 0 }, () => resolve(s));
    s.once('error', reject);
  });
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    paypalCertPrefix: `${url}${PAYPAL_CERT_PATH}`,
    paypalCertUrl: `${url}${PAYPAL_CERT_PATH}dev-cert.pem`,
    setBackendUrl(u) {
      backendUrl = u.replace(/\/+$/, '');
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bundler.dispose();
    },
  };
}
