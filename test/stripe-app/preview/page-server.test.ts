// The preview page server: the host bundle with the real views, the config the page reads,
// dev signatures only for its own user and account, the dev PayPal certificate.
import { readFileSync } from 'node:fs';
import { verifyAppSignature } from '../../../backend/http/middleware/app-auth.js';
import { createDevSecrets } from '../../../stripe-app/preview/dev/dev-session.js';
import { DEV_PAYPAL_CERT, startPageServer, type PageServer } from '../../../stripe-app/preview/page-server.js';
import { findApp } from '../../../stripe-app/preview/manifest.js';

const secrets = createDevSecrets({});
let server: PageServer;
beforeAll(async () => {
  server = await startPageServer({ secrets, accountId: 'acct_1PreviewPageTest', userId: 'usr_page_test' });
  server.setBackendUrl('http://127.0.0.1:9/');
});
afterAll(() => server?.close());

describe('preview page server', () => {
  it('serves the page, and one bundle holding the host and every view of the manifest', async () => {
    const html = await (await fetch(server.url)).text();
    expect(html).toContain('<script type="module" src="/preview.js">');
    const res = await fetch(`${server.url}/preview.js`);
    expect(res.headers.get('content-type')).toContain('javascript');
    const js = await res.text();
    const app = findApp();
    for (const view of app.manifest.ui_extension?.views ?? []) {
      // esbuild keeps each source file's path in a comment of the bundle
      expect(js).toContain(`src/views/${view.component}.tsx`);
    }
    expect(js).not.toContain('has no source file');
    expect(js).toContain('__StripeExtExports');
    expect((await (await fetch(`${server.url}/styles.css`)).text())).toContain('.drawer');
  });

  it('tells the page the manifest’s views, permissions and the preview backend', async () => {
    const config = await (await fetch(`${server.url}/__preview/config`)).json();
    const { manifest } = findApp();
    expect(config.views).toEqual(manifest.ui_extension?.views);
    expect(config.app.name).toBe(manifest.name);
    expect(config.app.permissions).toEqual(manifest.permissions?.map((p) => p.permission));
    expect(config.backendUrl).toBe('http://127.0.0.1:9');
    expect(config.app.connectSrc).toContain('http://127.0.0.1:9/');
    expect(config).toMatchObject({ accountId: 'acct_1PreviewPageTest', userId: 'usr_page_test' });
  });

  it('signs { livemode, user_id, account_id } with the run’s dev secret, for its own user and account only', async () => {
    const sign = (body: unknown) =>
      fetch(`${server.url}/__preview/signature`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // What the app's fetchStripeSignature({ livemode }) sends to the host.
    const ok = await sign({ livemode: false, user_id: 'usr_page_test', account_id: 'acct_1PreviewPageTest' });
    expect(ok.status).toBe(200);
    const { signature } = await ok.json();
    expect(verifyAppSignature(false, 'usr_page_test', 'acct_1PreviewPageTest', signature, [secrets.appSecret])).toBe(true);
    expect(verifyAppSignature(true, 'usr_page_test', 'acct_1PreviewPageTest', signature, [secrets.appSecret])).toBe(false);
    expect(verifyAppSignature(false, 'usr_page_test', 'acct_1PreviewPageTest', signature, [createDevSecrets({}).appSecret])).toBe(false);

    const other = await sign({ user_id: 'usr_page_test', account_id: 'acct_someoneelse' });
    expect(other.status).toBe(403);
    expect((await other.json()).error.code).toBe('forbidden');
    expect((await sign('not an object')).status).toBe(403);
  });

  it('serves the dev PayPal certificate under the prefix it gives the backend', async () => {
    expect(server.paypalCertUrl.startsWith(server.paypalCertPrefix)).toBe(true);
    const res = await fetch(server.paypalCertUrl);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(readFileSync(DEV_PAYPAL_CERT, 'utf8'));
    // no fake Stripe API was given: the seed endpoint does not exist
    expect((await fetch(`${server.url}/__preview/stripe/seed`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('refuses to start when NODE_ENV=production', async () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(startPageServer({ secrets, accountId: 'acct_1x', userId: 'usr_x' })).rejects.toThrow(/NODE_ENV=production/);
    } finally {
      process.env.NODE_ENV = saved;
    }
  });
});
