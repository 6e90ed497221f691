import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { APP_SECRET, newAccountId, signAppHeaders } from '../support/app-harness.js';
import { runServiceToExit, startService } from '../support/service-process.js';

const env = { STRIPE_APP_SECRET: APP_SECRET };

describe('the service process (npm start)', () => {
  it('runs on the embedded database, keeps data in DATA_DIR across restarts, and drains on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tb-data-'));
    const account = newAccountId();
    try {
      const first = await startService({ ...env, DATA_DIR: dataDir });
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
      const created = await fetch(`${first.url}/api/tenants`, {
        method: 'POST',
        headers: { ...signAppHeaders(account), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Persisted' }),
      });
      expect(created.status).toBe(201);
      expect(await first.stop('SIGTERM')).toBe(0);
      expect(first.output()).toContain('"msg":"stopped"');

      const second = await startService({ ...env, DATA_DIR: dataDir });
      // Warm start figure for the README: printed, not asserted (speed is measured, not tested).
      console.log(`embedded warm start to listening: ${second.readyMs} ms`);
      const list = await (await fetch(`${second.url}/api/tenants`, { headers: signAppHeaders(account) })).json();
      expect(list.data.map((t: { name: string }) => t.name)).toEqual(['Persisted']);
      expect(await second.stop('SIGTERM')).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it.runIf(inject('databaseEngine') === 'postgres')('runs on DATABASE_URL', async () => {
    const svc = await startService({ ...env, DATABASE_URL: inject('databaseUrl'), STRIPE_SECRET_KEY: 'rk_test_mainlogsecret' });
    expect((await fetch(`${svc.url}/readyz`)).status).toBe(200);
    // The listening line says which modes can call Stripe, never the key.
    const listening = JSON.parse(svc.output().split('\n').find((l) => l.includes('"msg":"listening"'))!);
    expect(listening.stripe_modes).toEqual(['test']);
    expect(svc.output()).not.toContain('mainlogsecret');
    expect(await svc.stop()).toBe(0);
  });

  it('stops at start-up on a bad variable, naming it', async () => {
    const { code, output } = await runServiceToExit({ PORT: 'not-a-port' });
    expect(code).toBe(1);
    expect(output).toMatch(/PORT/);
    const twoTestKeys = await runServiceToExit({ STRIPE_SECRET_KEY: 'sk_test_mainone,rk_test_maintwo' });
    expect(twoTestKeys.code).toBe(1);
    expect(twoTestKeys.output).toMatch(/STRIPE_SECRET_KEY: more than one test-mode key/);
    expect(twoTestKeys.output).not.toMatch(/mainone|maintwo/);
  });
});
