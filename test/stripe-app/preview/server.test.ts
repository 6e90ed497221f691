// `npm run preview` and `npm run demo` refuse to run in production, before starting anything.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PREVIEW_DIR } from '../../../stripe-app/preview/server.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const run = (script: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PREVIEW_PORT: '0', PREVIEW_BACKEND_PORT: '0' },
    encoding: 'utf8',
    timeout: 30_000,
  });

describe('dev commands under NODE_ENV=production', () => {
  it('npm run preview exits with an explanation and starts nothing', () => {
    const sessionBefore = existsSync(path.join(PREVIEW_DIR, 'session.json'));
    const r = run('stripe-app/preview/server.ts');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refused when NODE_ENV=production');
    expect(r.stdout).not.toContain('Preview page');
    expect(existsSync(path.join(PREVIEW_DIR, 'session.json'))).toBe(sessionBefore);
  });

  it('npm run demo exits with an explanation', () => {
    const r = run('test/support/demo/cli.ts');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refused when NODE_ENV=production');
  });
});

describe('npm run preview beside a running backend', () => {
  it('reports the port in use and the variable to set, and starts nothing', async () => {
    // stands in for a running `npm start` on the backend port
    const other = createServer().listen(0, '127.0.0.1');
    await once(other, 'listening');
    const port = (other.address() as AddressInfo).port;
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'stripe-app/preview/server.ts'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', PREVIEW_PORT: '0', PREVIEW_BACKEND_PORT: String(port) },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
      expect(stderr).toContain(`port ${port} is in use — stop the other process`);
      expect(stderr).toContain('or set PREVIEW_BACKEND_PORT');
      expect(stdout).not.toContain('Preview page');
    } finally {
      other.close();
    }
  });
});
