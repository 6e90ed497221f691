// The daily digest after the past-due scan, checked at a local signed receiver: content per currency
// and bucket, failures, top tenants, the app link; one a day; opt-in; retried through the backoff.
import { createLogger } from '../../../backend/logger.js';
import { runPastDueScan, type ScanDeps } from '../../../backend/jobs/past-due-scan.js';
import { createDigests } from '../../../backend/jobs/digest.js';
import { deliverPendingDigests } from '../../../backend/gateways/notify/deliver-digests.js';
import { listDigests } from '../../../backend/domain/digest.js';
import { backoffMs } from '../../../backend/domain/notifications.js';
import { createHarness, fakeClock } from '../../support/app-harness.js';
import { startNotifyReceiver, verifyNotification, type NotifyReceiver } from '../../support/notify-receiver.js';
import { harnessScope, seedEvent, seedInvoice, seedTenant } from '../../support/ledger-seed.js';

const DAY = 86_400_000;
const T0 = new Date('2026-06-10T06:00:00Z');
const at = (days: number, from = T0) => new Date(from.getTime() + days * DAY);

const receivers: NotifyReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const verifies = (body: string, header: string, secret: string) => verifyNotification(header, body, secret);

/** An account with its own receiver (which verifies with the account's notify_secret) and a scoped scan. */
async function account(opts: { digest?: boolean } = {}) {
  let secret = '';
  const receiver = await startNotifyReceiver({ secret: () => secret });
  receivers.push(receiver);
  const h = createHarness({ env: { NOTIFY_ALLOW_PRIVATE: 'true' }, clock: fakeClock(T0) });
  const res = await h.api('PUT', '/api/settings', { notify_url: receiver.url, daily_digest: opts.digest ?? true });
  expect(res.status).toBe(200);
  const settings = (await res.json()) as { notify_secret: string; daily_digest: boolean };
  expect(settings.daily_digest).toBe(opts.digest ?? true);
  secret = settings.notify_secret;
  const deps: ScanDeps = { sql: h.sql, logger: createLogger('silent'), now: h.clock.now, stripe: null, allowPrivateReceivers: true };
  const scan = (now: Date) => runPastDueScan(deps, { now, scope: harnessScope(h) });
  return { h, secret, deps, scan, scope: harnessScope(h), receiver };
}

describe('daily digest', () => {
  it('sends one signed Slack-compatible summary: newly past due by currency and bucket, failures, top tenants, app link', async () => {
    const { h, secret, scan, scope, receiver } = await account();
    const acme = await seedTenant(h.sql, scope, 'Acme');
    const globex = await seedTenant(h.sql, scope, 'Globex');
    // newly past due in the last day: due 9 Jun (past due from 10 Jun 00:00)
    await seedInvoice(h.sql, scope, { tenant_id: acme.id, currency: 'usd', amount_remaining: 12_000, due_date: at(-1), created_at: at(-31) });
    await seedInvoice(h.sql, scope, { tenant_id: globex.id, currency: 'usd', amount_remaining: 3_000, due_date: at(-1), created_at: at(-31) });
    // a failed payment in the last day, in JPY (0 decimals)
    const failed = await seedInvoice(
      h.sql,
      scope,
      { tenant_id: globex.id, currency: 'jpy', amount_remaining: 5_000, payment_failed: true, due_date: at(20), created_at: at(-3) },
      { time: at(-0.25) },
    );
    await seedEvent(h.sql, scope, { type: 'invoice.payment_failed', invoice_id: failed, occurred_at: at(-0.25) });
    // past due for long (not new), EUR: counts in the top tenants only
    await seedInvoice(h.sql, scope, { tenant_id: acme.id, currency: 'eur', amount_remaining: 70_000, due_date: at(-45), created_at: at(-75) });
    // not past due, and a paid one: nowhere
    await seedInvoice(h.sql, scope, { currency: 'usd', amount_remaining: 999, due_date: at(5) });
    await seedInvoice(h.sql, scope, { currency: 'usd', status: 'paid', amount_remaining: 0, due_date: at(-1) });

    const result = await scan(T0);
    expect(result).toMatchObject({ ran: true, summary: { digests: { created: 1, delivered: 1 } } });
    // the per-invoice notifications come too; the digest is one message among them
    const mine = receiver.requests.filter((r) => r.json?.type === 'digest.daily');
    expect(mine).toHaveLength(1);
    expect(mine[0].verified && verifies(mine[0].body, mine[0].headers['tenant-billing-signature'] as string, secret)).toBe(true);
    const [msg] = mine;
    expect(msg.answered).toBe(200);
    const d = msg.json;
    expect(d).toMatchObject({ type: 'digest.daily', livemode: false, day: '2026-06-10', period: { from: at(-1).toISOString(), to: T0.toISOString() } });
    expect(d.newly_past_due).toEqual([
      {
        currency: 'jpy',
        count: 1,
        amount: 5_000,
        buckets: { '1-30': { count: 1, amount: 5_000 }, '31-60': { count: 0, amount: 0 }, '61-90': { count: 0, amount: 0 }, '90+': { count: 0, amount: 0 } },
      },
      {
        currency: 'usd',
        count: 2,
        amount: 15_000,
        buckets: { '1-30': { count: 2, amount: 15_000 }, '31-60': { count: 0, amount: 0 }, '61-90': { count: 0, amount: 0 }, '90+': { count: 0, amount: 0 } },
      },
    ]);
    expect(d.payment_failures).toEqual([{ currency: 'jpy', failures: 1, invoices: 1, amount: 5_000 }]);
    expect(d.top_overdue_tenants).toEqual([
      { currency: 'eur', tenants: [{ tenant: { id: acme.id, name: 'Acme' }, count: 1, amount: 70_000 }] },
      { currency: 'jpy', tenants: [{ tenant: { id: globex.id, name: 'Globex' }, count: 1, amount: 5_000 }] },
      {
        currency: 'usd',
        tenants: [
          { tenant: { id: acme.id, name: 'Acme' }, count: 1, amount: 12_000 },
          { tenant: { id: globex.id, name: 'Globex' }, count: 1, amount: 3_000 },
        ],
      },
    ]);
    expect(d.links.app).toBe('https://dashboard.stripe.com/test/apps/com.example.tenant-billing');
    // Slack: text with per-currency amounts in each currency's own format, never a cross-currency total
    expect(d.text).toContain('Tenant Billing daily digest 2026-06-10 (test mode)');
    expect(d.text).toContain('2 invoices $150.00 (1-30 days: 2 $150.00)');
    expect(d.text).toContain('1 failure on 1 invoice, ¥5,000 outstanding');
    expect(d.text).toContain('EUR: Acme €700.00 (1)');
    expect(d.text).toContain('USD: Acme $120.00 (1), Globex $30.00 (1)');
    expect(d.text).toContain('<https://dashboard.stripe.com/test/apps/com.example.tenant-billing|Open Tenant Billing>');
    expect(d.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Tenant Billing daily digest 2026-06-10 (test mode)' } });
    expect(d.blocks.map((b: any) => b.type)).toEqual(['header', 'section', 'section', 'section', 'actions']);
    expect(d.blocks[1].text.text).toMatch(/^\*Newly past due\*\n• 1 invoice ¥5,000/);
    expect(d.blocks[4].elements[0]).toMatchObject({ type: 'button', url: d.links.app });
    expect(msg.headers['tenant-billing-delivery']).toBe(d.id);
  });

  it('exactly one digest per account, mode and day: later scans and concurrent claims add none', async () => {
    const { h, scan, scope, deps } = await account();
    await seedInvoice(h.sql, scope, { due_date: at(-1) });
    expect((await scan(T0)).ran && (await listDigests(h.sql, scope))).toHaveLength(1);
    const again = await scan(at(0.5));
    expect(again).toMatchObject({ ran: true, summary: { digests: { created: 0 } } });
    // several instances claiming the next day at once
    const next = at(1);
    const claims = await Promise.all([createDigests(deps.sql, next, scope), createDigests(deps.sql, next, scope), createDigests(deps.sql, next, scope)]);
    expect(claims.reduce((a, b) => a + b, 0)).toBe(1);
    expect((await listDigests(h.sql, scope)).map((r) => r.day)).toEqual(['2026-06-11', '2026-06-10']);
  });

  it('is opt-in: without daily_digest (or without notify_url) nothing is sent', async () => {
    const off = await account({ digest: false });
    await seedInvoice(off.h.sql, off.scope, { due_date: at(-1) });
    expect(await off.scan(T0)).toMatchObject({ ran: true, summary: { digests: { created: 0 } } });
    expect(await listDigests(off.h.sql, off.scope)).toEqual([]);

    const noUrl = await account();
    expect((await noUrl.h.api('PUT', '/api/settings', { notify_url: null })).status).toBe(200);
    expect(await noUrl.scan(T0)).toMatchObject({ ran: true, summary: { digests: { created: 0 } } });
    const settings = (await (await noUrl.h.api('GET', '/api/settings')).json()) as { daily_digest: boolean };
    expect(settings.daily_digest).toBe(true);
  });

  it('a failed delivery is retried with the notifications’ backoff, with the same content', async () => {
    const { h, secret, scan, scope, deps, receiver } = await account();
    await seedInvoice(h.sql, scope, { currency: 'usd', amount_remaining: 4_200, due_date: at(-1) });
    // the invoice's own notification is posted first, then the digest: fail the digest's attempt
    await h.sql`UPDATE account_settings SET reminder_steps = '{}' WHERE account_id = ${h.accountId}`;
    receiver.failNext(1);
    const first = await scan(T0);
    expect(first).toMatchObject({ summary: { digests: { created: 1, retrying: 1, delivered: 0 } } });
    const [row] = await listDigests(h.sql, scope);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringMatching(/HTTP 500/) });
    // not before its time
    expect(await deliverPendingDigests(deps, new Date(T0.getTime() + backoffMs(1) - 1000), scope)).toMatchObject({ delivered: 0 });
    expect(await deliverPendingDigests(deps, new Date(T0.getTime() + backoffMs(1)), scope)).toMatchObject({ delivered: 1 });
    const mine = receiver.requests.filter((r) => r.json?.id === row.id);
    expect(mine.map((r) => r.answered)).toEqual([500, 200]);
    expect(mine.every((r) => verifies(r.body, r.headers['tenant-billing-signature'] as string, secret))).toBe(true);
    expect(mine[1].json.newly_past_due).toEqual(mine[0].json.newly_past_due);
    expect((await listDigests(h.sql, scope))[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('covers the time since the previous digest: after a gap, what became past due during it', async () => {
    const { h, scan, scope, receiver } = await account();
    expect((await scan(T0)).ran).toBe(true);
    expect(receiver.accepted().filter((r) => r.json?.type === 'digest.daily')).toHaveLength(1);
    // due 45 days before the next digest: past due during the gap, aged 31-60 by then
    const later = at(50);
    await seedInvoice(h.sql, scope, { currency: 'usd', amount_remaining: 800, due_date: at(-45, later), created_at: at(-60, later) });
    expect(await scan(later)).toMatchObject({ summary: { digests: { created: 1 } } });
    const [latest] = await listDigests(h.sql, scope);
    expect(latest.payload.period).toEqual({ from: T0.toISOString(), to: later.toISOString() });
    expect(latest.payload.newly_past_due).toEqual([
      expect.objectContaining({ currency: 'usd', count: 1, buckets: expect.objectContaining({ '31-60': { count: 1, amount: 800 } }) }),
    ]);
  });
});
