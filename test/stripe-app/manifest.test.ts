// The manifest passes Stripe's published JSON schema (a copy in fixtures/), with exactly one known
// deviation: the schema lags the platform and lacks the full-page viewport `stripe.dashboard.fullpage`.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { eventPermissions } from '../../backend/gateways/stripe/event-permissions.js';
import { handlers } from '../../backend/gateways/stripe/handlers.js';

const root = resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(resolve(root, 'stripe-app.json'), 'utf8'));
const schema = JSON.parse(readFileSync(resolve(__dirname, 'fixtures/stripe-app.schema.json'), 'utf8'));

function validate(doc: unknown) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const check = ajv.compile(schema);
  check(doc);
  return check.errors ?? [];
}

const FULLPAGE = 'stripe.dashboard.fullpage';

describe('stripe-app.json', () => {
  test('passes the schema except for the full-page viewport, and nothing else', () => {
    const errors = validate(manifest);
    const fullPageIndex = manifest.ui_extension.views.findIndex((v: { viewport: string }) => v.viewport === FULLPAGE);
    expect(fullPageIndex).toBeGreaterThanOrEqual(0);
    expect(errors.map((e) => `${e.instancePath} ${e.keyword}`)).toEqual([
      `/ui_extension/views/${fullPageIndex}/viewport enum`,
    ]);
    // with that one viewport swapped for a known one, the manifest is fully valid
    const patched = structuredClone(manifest);
    patched.ui_extension.views[fullPageIndex].viewport = 'stripe.dashboard.home.overview';
    expect(validate(patched)).toEqual([]);
  });

  test('the check is not vacuous: an unknown key or a permission without purpose fails', () => {
    expect(validate({ ...manifest, extra: true }).length).toBeGreaterThan(1);
    const noPurpose = structuredClone(manifest);
    delete noPurpose.permissions[0].purpose;
    expect(validate(noPurpose).some((e) => e.keyword === 'required')).toBe(true);
  });

  test('every view names a component file with a default export', async () => {
    for (const view of manifest.ui_extension.views as { component: string }[]) {
      const file = resolve(root, 'stripe-app/src/views', `${view.component}.tsx`);
      expect(existsSync(file), file).toBe(true);
      const mod = await import(file);
      expect(typeof mod.default, view.component).toBe('function');
    }
  });

  test('least permissions, each with a purpose; CSP allows the backend URL of the constants', () => {
    const permissions = manifest.permissions.map((p: { permission: string }) => p.permission).sort();
    expect(permissions).toEqual([
      'charge_read',
      'checkout_session_read',
      'customer_read',
      'event_read',
      'invoice_read',
      'invoice_write',
      'subscription_read',
    ]);
    for (const p of manifest.permissions) expect(p.purpose.length).toBeGreaterThan(20);
    const backend: string = manifest.constants.BACKEND_URL;
    const allowed: string[] = manifest.ui_extension.content_security_policy['connect-src'];
    // the client calls `${BACKEND_URL}/api/...`; a connect-src ending in "/" allows everything below it
    expect(allowed.some((src) => src.endsWith('/') && `${backend.replace(/\/$/, '')}/api/stats`.startsWith(src))).toBe(true);
    expect(existsSync(resolve(root, manifest.icon))).toBe(true);
  });

  test('requests the permission of every event type the backend handles, and no event permission it does not use', () => {
    const requested = new Set(manifest.permissions.map((p: { permission: string }) => p.permission));
    const handled = Object.keys(handlers).sort();
    // the table covers exactly the handled types (its type makes a missing one a compile error too)
    expect(Object.keys(eventPermissions).sort()).toEqual(handled);
    const missing = handled.filter((type) => {
      const needed = eventPermissions[type as keyof typeof eventPermissions];
      return needed !== null && !requested.has(needed);
    });
    expect(missing).toEqual([]);
    // beyond the events' own: invoice_write for the invoice actions, event_read for the event feed
    const forEvents = new Set(Object.values(eventPermissions).filter((p) => p !== null));
    expect([...requested].filter((p) => !forEvents.has(p as string)).sort()).toEqual(['event_read', 'invoice_write']);
    // the schema knows each permission name
    const names = JSON.stringify(schema);
    for (const p of forEvents) expect(names).toContain(`"${p}"`);
  });
});
