// `npm run demo`: fills the backend of a running `npm run preview` with the demo data, through
// its real webhook and API endpoints. Reads the preview's session file for the URLs and this
// run's dev secrets. Refused when NODE_ENV=production.
import path from 'node:path';
import { assertDevAllowed, readPreviewSession } from '../../../stripe-app/preview/dev/dev-session.js';
import { fillDemo } from './fill.js';

const PREVIEW_DIR = path.resolve(import.meta.dirname, '../../../.data/preview');

async function main() {
  assertDevAllowed();
  const session = readPreviewSession(PREVIEW_DIR);
  if (!session) {
    console.error('npm run demo: no running preview found (.data/preview/session.json). Start `npm run preview` first.');
    process.exit(1);
  }
  const health = await fetch(`${session.backend_url}/healthz`).catch(() => null);
  if (!health?.ok) {
    console.error(`npm run demo: the preview backend at ${session.backend_url} does not answer. Is \`npm run preview\` still running?`);
    process.exit(1);
  }
  const started = Date.now();
  const report = await fillDemo({
    backendUrl: session.backend_url,
    accountId: session.account_id,
    userId: session.user_id,
    appSecret: session.app_secret,
    webhookSecret: session.webhook_secret,
    paypalCertUrl: session.paypal_cert_url,
    seedStripe: async (objects) => {
      const res = await fetch(`${session.page_url}/__preview/stripe/seed`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(objects),
      });
      if (!res.ok) throw new Error(`seeding the preview's fake Stripe API answered ${res.status}`);
    },
    log: (line) => console.log(`  ${line}`),
  });
  if (report.failed.length) {
    console.error(`  ${report.failed.length} events were stored but failed to process:\n    ${report.failed.join('\n    ')}`);
  }
  console.log(`\n  Demo data ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Open ${session.page_url}\n`);
  if (report.failed.length) process.exit(1);
}

main().catch((err) => {
  console.error(`npm run demo failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
