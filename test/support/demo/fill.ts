// Fills a running backend with the demo (./data.ts) through its real endpoints only: tenants and
// settings through the signed /api, Stripe events through POST /webhooks/stripe (signed with the
// webhook secret), PayPal events through POST /webhooks/paypal/:accountId (signed with the dev
// PayPal key, certificate served by the preview), then a past-due scan. Idempotent: tenants and
// links are created only when missing, and the events carry fixed ids, so a second run stores
// nothing new.
import type Stripe from 'stripe';
import { signAppPayload } from '../../../stripe-app/preview/dev/dev-session.js';
import { paypalHeaders } from '../paypal/sign.js';
import { signDelivery } from '../stripe-events.js';
import { buildDemo, type DemoTenant } from './data.js';

export interface DemoTarget {
  backendUrl: string;
  accountId: string;
  userId: string;
  appSecret: string;
  webhookSecret: string;
  /** a URL under the backend's PAYPAL_CERT_URL_PREFIXES serving test/support/paypal/cert.pem */
  paypalCertUrl: string;
  /** gives the fake Stripe API the objects the events announce (so actions on them work) */
  seedStripe?: (objects: { customers: Stripe.Customer[]; invoices: Stripe.Invoice[] }) => Promise<void>;
  now?: Date;
  log?: (line: string) => void;
}

export interface DemoReport {
  tenants: { created: number; existing: number };
  links: { created: number; existing: number };
  stripe: { stored: number; duplicates: number };
  paypal: { stored: number; duplicates: number };
  /** events stored but whose processing failed (should be 0) */
  failed: string[];
  pastDueScans: number;
}

type Mode = 'test' | 'live';

class DemoError extends Error {}

export async function fillDemo(target: DemoTarget): Promise<DemoReport> {
  const log = target.log ?? (() => {});
  const base = target.backendUrl.replace(/\/+$/, '');
  const demo = buildDemo(target.accountId, target.now ?? new Date());
  const report: DemoReport = {
    tenants: { created: 0, existing: 0 },
    links: { created: 0, existing: 0 },
    stripe: { stored: 0, duplicates: 0 },
    paypal: { stored: 0, duplicates: 0 },
    failed: [],
    pastDueScans: 0,
  };

  async function api<T>(method: string, path: string, mode: Mode, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${base}/api${path}`, {
      method,
      headers: {
        'stripe-signature': signAppPayload(
          target.appSecret,
          { user_id: target.userId, account_id: target.accountId },
          { livemode: mode === 'live' },
        ),
        'stripe-user-id': target.userId,
        'stripe-account-id': target.accountId,
        'stripe-mode': mode,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => null)) as T;
    return { status: res.status, body: json };
  }

  const expectOk = <T>(r: { status: number; body: T }, what: string): T => {
    if (r.status >= 300) throw new DemoError(`${what} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };

  // --- settings: the PayPal webhook id the demo signs for, and the metadata key of tenants ---
  expectOk(
    await api('PUT', '/settings', 'test', { paypal_webhook_id: demo.paypalWebhookId, tenant_metadata_key: 'tenant' }),
    'PUT /api/settings (test)',
  );
  expectOk(await api('PUT', '/settings', 'live', { tenant_metadata_key: 'tenant' }), 'PUT /api/settings (live)');

  // The fake Stripe API holds the demo's customers before they are linked: linking a Stripe
  // customer asks Stripe whether it exists (when the backend has a key for the mode).
  if (target.seedStripe) await target.seedStripe({ customers: demo.customers, invoices: demo.invoices });

  // --- tenants and their links, created only when missing ---
  type Tenant = { id: string; name: string; external_ref: string | null; links: { gateway: string; external_id: string }[] };
  for (const mode of ['test', 'live'] as const) {
    const known = new Map<string, Tenant>();
    let cursor: string | null = null;
    do {
      const page: { data: Tenant[]; next_cursor: string | null } = expectOk(
        await api('GET', `/tenants?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, mode),
        'GET /api/tenants',
      );
      for (const t of page.data) if (t.external_ref) known.set(t.external_ref, t);
      cursor = page.next_cursor;
    } while (cursor);

    for (const t of demo.tenants.filter((x: DemoTenant) => x.livemode === (mode === 'live'))) {
      let tenant = known.get(t.ref);
      if (tenant) report.tenants.existing++;
      else {
        tenant = expectOk(await api<Tenant>('POST', '/tenants', mode, { name: t.name, external_ref: t.ref }), `POST /api/tenants ${t.ref}`);
        report.tenants.created++;
      }
      const wanted = [
        ...(t.stripeCustomer ? [{ gateway: 'stripe', external_id: t.stripeCustomer }] : []),
        ...(t.paypalSubscription ? [{ gateway: 'paypal', external_id: t.paypalSubscription }] : []),
      ];
      for (const link of wanted) {
        if (tenant.links.some((l) => l.gateway === link.gateway && l.external_id === link.external_id)) {
          report.links.existing++;
          continue;
        }
        expectOk(await api('POST', `/tenants/${tenant.id}/links`, mode, link), `POST link ${link.external_id}`);
        report.links.created++;
      }
    }
  }
  log(`tenants: ${report.tenants.created} created, ${report.tenants.existing} already there`);

  // --- Stripe events, in the order Stripe would have sent them ---
  for (const event of demo.stripeEvents) {
    const { body, headers } = signDelivery(event, { secret: target.webhookSecret });
    const res = await fetch(`${base}/webhooks/stripe`, { method: 'POST', headers, body });
    const answer = (await res.json().catch(() => null)) as { duplicate?: boolean; processed?: boolean } | null;
    if (!res.ok) throw new DemoError(`POST /webhooks/stripe ${event.type} ${event.id} answered ${res.status}: ${JSON.stringify(answer)}`);
    if (answer?.duplicate) report.stripe.duplicates++;
    else report.stripe.stored++;
    if (answer?.processed === false && !answer.duplicate) report.failed.push(`${event.type} ${event.id}`);
  }
  log(`stripe events: ${report.stripe.stored} stored, ${report.stripe.duplicates} duplicates`);

  // --- PayPal events ---
  for (const event of demo.paypalEvents) {
    const body = JSON.stringify(event.body);
    const headers = paypalHeaders(body, { webhookId: demo.paypalWebhookId, certUrl: target.paypalCertUrl });
    const res = await fetch(`${base}/webhooks/paypal/${encodeURIComponent(target.accountId)}`, { method: 'POST', headers, body });
    const answer = (await res.json().catch(() => null)) as { duplicate?: boolean; processed?: boolean } | null;
    if (!res.ok) throw new DemoError(`POST /webhooks/paypal ${event.body.event_type} ${event.id} answered ${res.status}: ${JSON.stringify(answer)}`);
    if (answer?.duplicate) report.paypal.duplicates++;
    else report.paypal.stored++;
    if (answer?.processed === false && !answer.duplicate) report.failed.push(`${String(event.body.event_type)} ${event.id}`);
  }
  log(`paypal events: ${report.paypal.stored} stored, ${report.paypal.duplicates} duplicates`);

  // --- past due: the daily scan, run now for both modes. A backend that just started runs its
  // catch-up scan over every account first; the account's scan waits for it (409 meanwhile). ---
  for (const mode of ['test', 'live'] as const) {
    for (let attempt = 0; ; attempt++) {
      const r = await api('POST', '/past-due/scan', mode, {});
      if (r.status === 409 && attempt < 120) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      expectOk(r, `POST /api/past-due/scan (${mode})`);
      report.pastDueScans++;
      break;
    }
  }

  return report;
}
