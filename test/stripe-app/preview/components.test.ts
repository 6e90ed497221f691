// The preview must draw every component the SDK can send, so nothing a view uses disappears.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { standIns } from '../../../stripe-app/preview/host/components.js';

const SDK_UI = path.resolve(import.meta.dirname, '../../../node_modules/@stripe/ui-extension-sdk/ui');

/** Component names the SDK registers with createRemoteReactComponent, per entry point. */
function registered(file: string): string[] {
  const source = readFileSync(path.join(SDK_UI, file), 'utf8');
  return [...source.matchAll(/defineComponent\('([A-Za-z]+)'/g)].map((m) => m[1]);
}

describe('component stand-ins', () => {
  it.each(['index.js', 'next.js', 'experimental.js'])('cover every component of @stripe/ui-extension-sdk/ui/%s', (file) => {
    const names = registered(file);
    expect(names.length).toBeGreaterThan(file === 'index.js' ? 60 : 0);
    expect(names.filter((n) => !(n in standIns))).toEqual([]);
  });

  it('cover the native <option>/<optgroup> children of Select', () => {
    expect(Object.keys(standIns)).toEqual(expect.arrayContaining(['option', 'optgroup']));
  });
});
