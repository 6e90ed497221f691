// The done-when check on the real service (`npm start`, embedded database): an open invoice posted
// through a signed Stripe webhook with a due date 40 days ago shows in the 31-60 bucket after an
// admin's scan, and a local receiver gets exactly one signed notification.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APP_SECRET, newAccountId, signAppHeaders } from '../../support/app-harness.js';
import { startNotifyReceiver } from '../../support/notify-receiver.js';
import { startService } from '../../support/service-process.js';
import { signDelivery, stripeEvent, stripeInvoice, unix, WEBHOOK_SECRET } from '../../support/stripe-events.js';

describe('past-due tracking on the running service', () => {
  it('ages a 40-day-old invoice into 31-60 and notifies the admin once, signed', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tb-pastdue-'));
    const account = newAccountId();
    let secret = '';
    const receiver = await startNotifyReceiver({ secret: () => secret });
    const svc = await startService({ STRIPE_APP_SECRET: APP_SECRET, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, DATA_DIR: dataDir, NOTIFY_ALLOW_PRIVATE: 'true' });
    try {
      const api = (method: string, p: string, body?: unknown) =>
        fetch(`${svc.url}${p}`, {
          method,
          headers: { ...signAppHeaders(account, 'usr_admin', { mode: 'test' }), 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });

      const settings = await (await api('PUT', '/api/settings', { notify_url: receiver.url })).json();
      secret = settings.notify_secret;

      const now = Date.now();
      const invoice = stripeInvoice({
        created: unix(new Date(now - 70 * 86_400_000)),
        due_date: unix(new Date(now - 40 * 86_400_000)),
        status: 'open',
        amount_due: 25_000,
        amount_remaining: 25_000,
        total: 25_000,
      });
      const event = stripeEvent('invoice.finalized', invoice, { account, created: new Date(now - 69 * 86_400_000) });
      const { body, headers } = signDelivery(event);
      const hook = await fetch(`${svc.url}/webhooks/stripe`, { method: 'POST', headers, body });
      expect(hook.status).toBe(200);

      const scan = await api('POST', '/api/past-due/scan');
      expect(scan.status).toBe(200);
      expect(await scan.json()).toMatchObject({ entered: 1, notifications_created: { admin: 1 }, deliveries: { delivered: 1 } });

      const view = await (await api('GET', '/api/past-due')).json();
      expect(view.currencies).toEqual([
        {
          currency: 'usd',
          buckets: {
            '1-30': { count: 0, amount: 0 },
            '31-60': { count: 1, amount: 25_000 },
            '61-90': { count: 0, amount: 0 },
            '90+': { count: 0, amount: 0 },
          },
          total: { count: 1, amount: 25_000 },
        },
      ]);
      expect(view.data).toMatchObject([{ external_id: invoice.id, days_past_due: 40, status: 'open', state: 'past_due' }]);

      expect(receiver.requests).toHaveLength(1);
      const [msg] = receiver.requests;
      expect(msg.verified).toBe(true);
      expect(msg.json).toMatchObject({ step: 30, days: 40, amount: 25_000, currency: 'usd', invoice: { external_id: invoice.id } });
      expect(msg.json.text).toContain('40 days past due, $250.00 outstanding');
      // A second scan sends nothing more.
      await api('POST', '/api/past-due/scan');
      expect(receiver.requests).toHaveLength(1);

      expect(await svc.stop('SIGTERM')).toBe(0);
      expect(svc.output()).not.toContain(secret);
    } finally {
      await svc.stop('SIGKILL');
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
