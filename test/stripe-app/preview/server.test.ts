// `npm run preview` and `npm run demo` refuse to run in production, before starting anything.
import { spawnSync } from 'node:child_process';
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
