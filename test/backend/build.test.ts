import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundleNodeArgs } from '../../backend/build.js';

// The tests and the bench run the bundle with bundleNodeArgs; users run it with `npm start`. If the
// two drift apart (a Node flag such as the heap cap added to one), the tests measure another service.
describe('bundleNodeArgs', () => {
  it('runs the bundle exactly as the start script does', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
    const run = pkg.scripts.start.split('&&').at(-1)?.trim();
    expect(run).toBe(['exec node', ...bundleNodeArgs('dist/main.js')].join(' '));
  });
});
