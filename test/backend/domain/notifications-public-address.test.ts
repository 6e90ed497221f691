// Delivery-time address checks (issue 12): a notify_url whose host name resolves to a loopback or
// private address is refused when the notification goes out, even though it looked fine when
// saved (DNS rebinding). DNS is a resolver injected into the delivery; no real lookups.
import type { LookupAddress } from 'node:dns';
import { ensureAccount, type Scope } from '../../../backend/domain/accounts.js';
import { applyInvoiceSnapshot } from '../../../backend/domain/invoices.js';
import { createDueNotifications, notificationAttempts } from '../../../backend/domain/notifications.js';
import { deliverPendingNotifications } from '../../../backend/gateways/notify/deliver.js';
import { applyPastDueTransitions } from '../../../backend/domain/past-due-transitions.js';
import { updateSettings } from '../../../backend/domain/settings.js';
import type { Resolver } from '../../../backend/gateways/notify/public-address.js';
import { createLogger } from '../../../backend/logger.js';
import { newAccountId, testSql } from '../../support/app-harness.js';
import { invoiceSnapshot } from '../../support/ledger-seed.js';
import { startNotifyReceiver, type NotifyReceiver } from '../../support/notify-receiver.js';

const sql = testSql();
const logger = createLogger('silent');
const NOW = new Date('2026-05-01T06:00:00Z');

/** A resolver answering from a fixed table, counting its calls. */
function fakeDns(table: Record<string, string[]>) {
  const calls: string[] = [];
  const resolve: Resolver = (hostname, _options, callback) => {
    calls.push(hostname);
    const list = table[hostname];
    if (!list) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(null, list.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
  return { resolve, calls };
}

let receiver: NotifyReceiver;
let secret = '';
beforeEach(async () => {
  receiver = await startNotifyReceiver({ secret: () => secret });
});
afterEach(() => receiver.close());

async function pastDueWithNotifyUrl(notifyUrl: string): Promise<Scope> {
  const scope = { accountId: newAccountId(), livemode: false };
  await ensureAccount(sql, scope.accountId);
  // Stored directly: the save-time check is the route's (settings-notify-url.test.ts).
  secret = (await updateSettings(sql, scope, { notify_url: notifyUrl })).notify_secret;
  const snap = invoiceSnapshot({ due_date: new Date('2026-04-20T00:00:00Z'), created_at: new Date('2026-04-01T00:00:00Z') });
  await sql.begin((tx) => applyInvoiceSnapshot(tx, scope, snap, { time: NOW, eventId: 'evt_1', label: 'event:evt_1' }));
  await sql.begin(async (tx) => {
    await applyPastDueTransitions(tx, NOW, scope);
    await createDueNotifications(tx, NOW, scope);
  });
  return scope;
}

const notification = async (scope: Scope) =>
  (
    await sql<{ id: string; status: string; last_error: string | null }[]>`
      SELECT id, status, last_error FROM notifications WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode}`
  )[0];

describe('notification delivery to public addresses only', () => {
  it('refuses a host name that resolves to 127.0.0.1 at delivery time: nothing is sent, the attempt says why', async () => {
    const port = new URL(receiver.url).port;
    const scope = await pastDueWithNotifyUrl(`https://hooks.rebind.example:${port}/hooks/billing`);
    const dns = fakeDns({ 'hooks.rebind.example': ['127.0.0.1'] });
    const counts = await deliverPendingNotifications({ sql, logger, stripe: null, resolve: dns.resolve }, NOW, scope);
    expect(counts).toMatchObject({ delivered: 0, retrying: 1 });
    expect(dns.calls).toEqual(['hooks.rebind.example']);
    expect(receiver.requests).toHaveLength(0);
    const n = await notification(scope);
    expect(n.status).toBe('pending');
    expect(n.last_error).toContain('resolves to a non-public address (127.0.0.1)');
    const [attempt] = await notificationAttempts(sql, scope, n.id);
    expect(attempt).toMatchObject({ ok: false, status_code: null });
  });

  it.each([
    ['one private address among public ones', ['8.8.8.8', '10.1.2.3']],
    ['an IPv4-mapped metadata address', ['::ffff:169.254.169.254']],
    ['an IPv6 loopback', ['::1']],
  ])('refuses a name that resolves to %s', async (_what, addresses) => {
    const scope = await pastDueWithNotifyUrl('https://hooks.rebind.example/hooks/billing');
    const dns = fakeDns({ 'hooks.rebind.example': addresses });
    await deliverPendingNotifications({ sql, logger, stripe: null, resolve: dns.resolve }, NOW, scope);
    expect((await notification(scope)).last_error).toMatch(/resolves to a non-public address/);
  });

  it('refuses a saved literal private address or localhost name at delivery time too (saved before the rule)', async () => {
    for (const url of ['https://169.254.169.254/latest/meta-data', 'https://localhost./hook', receiver.url]) {
      const scope = await pastDueWithNotifyUrl(url);
      const dns = fakeDns({});
      await deliverPendingNotifications({ sql, logger, stripe: null, resolve: dns.resolve }, NOW, scope);
      expect((await notification(scope)).last_error).toMatch(/^notify_url /);
      expect(dns.calls).toEqual([]);
    }
    expect(receiver.requests).toHaveLength(0);
  });

  it('with NOTIFY_ALLOW_PRIVATE the same local receiver gets the message', async () => {
    const scope = await pastDueWithNotifyUrl(receiver.url);
    const counts = await deliverPendingNotifications({ sql, logger, stripe: null, allowPrivateReceivers: true }, NOW, scope);
    expect(counts).toMatchObject({ delivered: 1 });
    expect(receiver.accepted()).toHaveLength(1);
  });
});
