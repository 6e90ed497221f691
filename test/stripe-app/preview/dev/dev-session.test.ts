// Dev-only signing: refused in production; what it signs is what the real backend accepts,
// and only while the preview that generated the secret runs.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  assertDevAllowed,
  createDevSecrets,
  DevModeRefusedError,
  readPreviewSession,
  removePreviewSession,
  signAppPayload,
  writePreviewSession,
} from '../../../../stripe-app/preview/dev/dev-session.js';
import { createHarness, newAccountId } from '../../../support/app-harness.js';

describe('dev signing', () => {
  it('is refused when NODE_ENV=production, whatever the case or spacing', () => {
    for (const NODE_ENV of ['production', 'Production', ' production ']) {
      expect(() => assertDevAllowed({ NODE_ENV })).toThrow(DevModeRefusedError);
      expect(() => createDevSecrets({ NODE_ENV })).toThrow(/refused when NODE_ENV=production/);
    }
    expect(() => createDevSecrets({ NODE_ENV: 'development' })).not.toThrow();
    expect(() => createDevSecrets({})).not.toThrow();
  });

  it('generates fresh secrets of the configured shapes on every run', () => {
    const a = createDevSecrets({});
    const b = createDevSecrets({});
    expect(a.appSecret).toMatch(/^absec_devpreview_[0-9a-f]{48}$/);
    expect(a.webhookSecret).toMatch(/^whsec_devpreview_[0-9a-f]{48}$/);
    expect(a.appSecret).not.toBe(b.appSecret);
    expect(a.webhookSecret).not.toBe(b.webhookSecret);
  });

  it('signs app requests the backend accepts only when configured with that run’s secret', async () => {
    const secrets = createDevSecrets({});
    const accountId = newAccountId();
    const headers = {
      'stripe-signature': signAppPayload(secrets.appSecret, { user_id: 'usr_dev', account_id: accountId }, { livemode: false }),
      'stripe-user-id': 'usr_dev',
      'stripe-account-id': accountId,
      'stripe-mode': 'test',
    };
    const preview = createHarness({ env: { STRIPE_APP_SECRET: secrets.appSecret } });
    expect((await preview.app.request('/api/settings', { headers })).status).toBe(200);

    // A backend started normally (its own secrets) refuses the dev signature.
    const normal = createHarness();
    const refused = await normal.app.request('/api/settings', { headers });
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe('unauthorized');

    // A signature from another preview run is refused too.
    const other = createDevSecrets({});
    const stale = {
      ...headers,
      'stripe-signature': signAppPayload(other.appSecret, { user_id: 'usr_dev', account_id: accountId }, { livemode: false }),
    };

    // A test-mode dev signature never passes as live.
    expect((await preview.app.request('/api/settings', { headers: { ...headers, 'stripe-mode': 'live' } })).status).toBe(401);
    expect((await preview.app.request('/api/settings', { headers: stale })).status).toBe(401);
  });

  it('keeps the preview session file private and removes it on stop', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tb-dev-session-'));
    try {
      const session = {
        backend_url: 'http://127.0.0.1:4242',
        page_url: 'http://127.0.0.1:4243',
        account_id: 'acct_1PreviewTenantBill',
        user_id: 'usr_preview_admin',
        app_secret: 'absec_devpreview_x',
        webhook_secret: 'whsec_devpreview_x',
        paypal_cert_url: 'http://127.0.0.1:4243/__preview/paypal/certs/dev-cert.pem',
        stripe_api_url: null,
        pid: 1,
      };
      const file = writePreviewSession(dir, session);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readPreviewSession(dir)).toEqual(session);
      removePreviewSession(dir);
      expect(readPreviewSession(dir)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
