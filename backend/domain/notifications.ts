// Past-due notifications: admin messages posted to the account's notify_url, and customer
// reminders sent through Stripe (per tenant opt-in), at the account's reminder_steps.
//
// Steps. reminder_steps (default {0, 7, 30}) are days past due. Each scan gives every past-due
// invoice one row per kind for the highest step it has reached, unless a row for that step or a
// later one exists: an invoice first seen 40 days past due gets one message (step 30), not three.
// Step 0 is the moment it becomes past due. Admin rows exist only while a notify_url is set;
// customer rows only for Stripe invoices of tenants with customer_reminders on.
//
// Exactly once per step. The row is claimed first (UNIQUE (account_id, livemode, invoice_id, kind,
// step)), so two instances scanning together create one row. Delivery claims a pending row by
// moving its next_attempt_at forward (FOR UPDATE SKIP LOCKED), so one sender attempts it; every
// attempt is a notification_attempts row; failures retry with exponential backoff. Deliveries run
// outside any transaction, with a timeout, so a slow or failing receiver never holds up a scan.
// A receiver may still see a message twice if we crash between its 2xx and our record: the
// Tenant-Billing-Delivery header (the notification id) lets it drop the repeat.
//
// Signature (how a receiver verifies). Header
//   Tenant-Billing-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
// where v1 = HMAC-SHA256(key = the account's notify_secret from GET /api/settings,
// message = `${t}.${raw request body}`). The receiver recomputes it over the exact bytes it
// received, compares in constant time, and rejects a t more than 5 minutes from its own clock.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db, Sql } from '../db/client.js';
import type { Scope } from './accounts.js';
import { DeliveryRefusedError, DeliveryTimeoutError, postJson } from '../http-out/post-json.js';
import type { Resolver } from '../http-out/public-address.js';
import { recordHistory } from './invoices.js';
import { PAST_DUE_SCAN_SOURCE } from './past-due.js';
import { pastDueRule, rowGraceDays } from './past-due-rule.js';

export const SIGNATURE_HEADER = 'Tenant-Billing-Signature';
export const DELIVERY_HEADER = 'Tenant-Billing-Delivery';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Attempts before a notification is given up as failed. */
export const MAX_ATTEMPTS = 8;
const BACKOFF_BASE_MS = 60_000;
const BACKOFF_MAX_MS = 6 * 3_600_000;
/** How long a claimed delivery is reserved for its sender; after a crash it is retried then. */
const CLAIM_MS = 5 * 60_000;
const DELIVERY_TIMEOUT_MS = 10_000;
const CONCURRENCY = 8;
const BATCH = 100;

/** Delay before attempt n+1 after n failed attempts: 1, 2, 4, 8 … minutes, at most 6 hours. */
export const backoffMs = (attempts: number) => Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);

export type NotificationKind = 'admin' | 'customer';

// --- signing ------------------------------------------------------------------------------------

export function signatureHeader(secret: string, body: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/** What a receiver does with the header (also usable as a reference implementation). */
export function verifySignatureHeader(
  header: string | null | undefined,
  body: string,
  secret: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  if (!header) return false;
  const parts = new Map(header.split(',').map((kv) => kv.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

// --- creating rows ------------------------------------------------------------------------------

export interface CreatedCounts {
  admin: number;
  customer: number;
}

/**
 * Claims the notification rows every past-due invoice is due (see the steps rule above), in the
 * caller's transaction; one account+mode, or all when scope is null. Idempotent.
 */
export async function createDueNotifications(tx: Db, now: Date, scope: Scope | null): Promise<CreatedCounts> {
  const only = (alias: 's' | 't') =>
    scope ? tx`AND ${tx(alias)}.account_id = ${scope.accountId} AND ${tx(alias)}.livemode = ${scope.livemode}` : tx``;
  // Driven from who wants messages (accounts with a notify_url, opted-in tenants), so accounts
  // that want none cost nothing.
  // Past due as every read derives it (the stored flag is not consulted), with the account's grace days.
  const admin = pastDueRule(tx, now, () => tx`s.past_due_grace_days`);
  const customer = pastDueRule(tx, now, () => tx`COALESCE(s.past_due_grace_days, 0)`);
  const rows = await tx<{ kind: NotificationKind; count: number }[]>`
    WITH aged AS (
      SELECT i.id, i.account_id, i.livemode, 'admin' AS kind, s.reminder_steps AS steps, ${admin.daysOfPastDue()} AS days
      FROM account_settings s
      JOIN invoices i ON i.account_id = s.account_id AND i.livemode = s.livemode
      WHERE s.notify_url IS NOT NULL AND ${admin.pastDue()} ${only('s')}
      UNION ALL
      -- '{0,7,30}' is the column default, for accounts that never saved settings.
      SELECT i.id, i.account_id, i.livemode, 'customer', COALESCE(s.reminder_steps, '{0,7,30}'), ${customer.daysOfPastDue()}
      FROM tenants t
      JOIN invoices i ON i.tenant_id = t.id AND i.account_id = t.account_id AND i.livemode = t.livemode
      LEFT JOIN account_settings s ON s.account_id = t.account_id AND s.livemode = t.livemode
      WHERE t.customer_reminders AND i.gateway = 'stripe' AND ${customer.pastDue()} ${only('t')}
    ), wanted AS (
      SELECT id, account_id, livemode, kind, (SELECT max(st) FROM unnest(steps) st WHERE st <= days) AS step FROM aged
    ), created AS (
      INSERT INTO notifications (account_id, livemode, invoice_id, kind, step, next_attempt_at)
      SELECT w.account_id, w.livemode, w.id, w.kind, w.step, ${now}
      FROM wanted w
      WHERE w.step IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM notifications n
        WHERE n.account_id = w.account_id AND n.livemode = w.livemode AND n.invoice_id = w.id
          AND n.kind = w.kind AND n.step >= w.step)
      ON CONFLICT (account_id, livemode, invoice_id, kind, step) DO NOTHING
      RETURNING kind
    )
    SELECT kind, count(*)::int AS count FROM created GROUP BY kind`;
  return {
    admin: rows.find((r) => r.kind === 'admin')?.count ?? 0,
    customer: rows.find((r) => r.kind === 'customer')?.count ?? 0,
  };
}

// --- delivering ---------------------------------------------------------------------------------

/**
 * The part of the Stripe client customer reminders use: stripe.invoices.sendInvoice. Declared here
 * so domain/ does not import the SDK; a Stripe instance fits it.
 */
export interface InvoiceReminderClient {
  invoices: {
    sendInvoice(
      id: string,
      params: Record<string, never>,
      options: { stripeAccount: string; idempotencyKey: string },
    ): Promise<unknown>;
  };
}

/** One reminder client per mode (the app's per-mode Stripe clients fit); null: no mode has a key. */
export type InvoiceReminderClients = Record<'live' | 'test', InvoiceReminderClient | null>;

export interface DeliveryDeps {
  sql: Sql;
  logger: Logger;
  /** a reminder is sent with the client of its invoice's mode */
  stripe: InvoiceReminderClients | null;
  /** per-request timeout for receivers (ms) */
  timeoutMs?: number;
  /** NOTIFY_ALLOW_PRIVATE: receivers on loopback/private addresses allowed (development, tests) */
  allowPrivateReceivers?: boolean;
  /** DNS resolver for receivers' host names (default dns.lookup; tests inject one) */
  resolve?: Resolver;
}

export interface DeliveryCounts {
  delivered: number;
  retrying: number;
  failed: number;
  cancelled: number;
}

interface Claimed {
  id: string;
  account_id: string;
  livemode: boolean;
  invoice_id: string;
  kind: NotificationKind;
  step: number;
  attempts: number;
  still_past_due: boolean;
  gateway: string;
  external_id: string;
  number: string | null;
  currency: string;
  amount_remaining: number;
  due_date: Date | null;
  past_due_since: Date | null;
  days: number | null;
  hosted_url: string | null;
  pdf_url: string | null;
  tenant_id: string | null;
  tenant_name: string | null;
  notify_url: string | null;
  notify_secret: string | null;
}

type Outcome =
  | { result: 'delivered'; statusCode: number | null }
  | { result: 'cancelled'; error: string }
  | { result: 'error'; error: string; statusCode: number | null; permanent: boolean };

/** The JSON an admin receiver gets. */
export interface AdminNotificationPayload {
  id: string;
  type: 'invoice.past_due';
  livemode: boolean;
  step: number;
  text: string;
  tenant: { id: string; name: string } | null;
  invoice: {
    id: string;
    gateway: string;
    external_id: string;
    number: string | null;
    due_date: string | null;
    past_due_since: string | null;
  };
  amount: number;
  currency: string;
  days: number;
  links: { hosted_url: string | null; pdf_url: string | null };
}

/** Minor units to a display string, with the currency's own number of decimals (Intl knows them). */
export function formatMoney(amount: number, currency: string): string {
  const fmt = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() });
  const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
  return fmt.format(amount / 10 ** digits);
}

export function adminPayload(n: Claimed): AdminNotificationPayload {
  const days = n.days ?? 0;
  const what = n.number ? `Invoice ${n.number}` : `Invoice ${n.external_id}`;
  const who = n.tenant_name ? ` for ${n.tenant_name}` : '';
  const owed = `${formatMoney(n.amount_remaining, n.currency)} outstanding`;
  const age = `${days} day${days === 1 ? '' : 's'} past due`;
  const head = n.step === 0 ? `${what}${who} is now past due (${age})` : `${what}${who} is still unpaid: ${age}`;
  const link = n.hosted_url ? ` <${n.hosted_url}|Open invoice>` : '';
  return {
    id: n.id,
    type: 'invoice.past_due',
    livemode: n.livemode,
    step: n.step,
    text: `${head}, ${owed}.${link}`,
    tenant: n.tenant_id && n.tenant_name !== null ? { id: n.tenant_id, name: n.tenant_name } : null,
    invoice: {
      id: n.invoice_id,
      gateway: n.gateway,
      external_id: n.external_id,
      number: n.number,
      due_date: n.due_date?.toISOString() ?? null,
      past_due_since: n.past_due_since?.toISOString() ?? null,
    },
    amount: n.amount_remaining,
    currency: n.currency,
    days,
    links: { hosted_url: n.hosted_url, pdf_url: n.pdf_url },
  };
}

async function postToReceiver(n: Claimed, deps: DeliveryDeps, timeoutMs: number): Promise<Outcome> {
  if (!n.notify_url || !n.notify_secret) return { result: 'cancelled', error: 'notify_url is no longer set' };
  const body = JSON.stringify(adminPayload(n));
  // Transport time (not the scan's clock): receivers check it against their own clock.
  const t = Math.floor(Date.now() / 1000);
  try {
    // Public addresses only, checked against the address connected to; redirects are not followed.
    const res = await postJson(n.notify_url, {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'tenant-billing-notifications',
        [SIGNATURE_HEADER]: signatureHeader(n.notify_secret, body, t),
        [DELIVERY_HEADER]: n.id,
      },
      body,
      timeoutMs,
      allowPrivate: !!deps.allowPrivateReceivers,
      resolve: deps.resolve,
      maxResponseBytes: 200,
    });
    const text = res.text.slice(0, 200);
    if (res.status >= 200 && res.status < 300) return { result: 'delivered', statusCode: res.status };
    return { result: 'error', error: `receiver answered HTTP ${res.status}${text ? `: ${text}` : ''}`, statusCode: res.status, permanent: false };
  } catch (err) {
    const e = err as Error;
    // A refused address is retried like any failure: DNS may legitimately change back.
    const error =
      e instanceof DeliveryRefusedError || e instanceof DeliveryTimeoutError ? e.message : `request failed: ${e.message}`;
    return { result: 'error', error, statusCode: null, permanent: false };
  }
}

/** Stripe errors worth retrying: no answer, rate limit, lock conflicts, server errors. */
function retryableStripeError(err: unknown): boolean {
  const status = (err as { statusCode?: number }).statusCode;
  return status === undefined || status === 409 || status === 429 || status >= 500;
}

async function sendCustomerReminder(n: Claimed, clients: InvoiceReminderClients | null): Promise<Outcome> {
  if (n.gateway !== 'stripe') return { result: 'cancelled', error: 'customer reminders exist only for Stripe invoices' };
  const mode = n.livemode ? 'live' : 'test';
  const stripe = clients?.[mode] ?? null;
  if (!stripe) {
    return {
      result: 'error',
      error: `customer reminder not sent: no Stripe key for ${mode} mode (STRIPE_SECRET_KEY)`,
      statusCode: null,
      permanent: true,
    };
  }
  try {
    await stripe.invoices.sendInvoice(
      n.external_id,
      {},
      { stripeAccount: n.account_id, idempotencyKey: `past-due-reminder-${n.id}` },
    );
    return { result: 'delivered', statusCode: 200 };
  } catch (err) {
    const e = err as { message?: string; statusCode?: number };
    return {
      result: 'error',
      error: `Stripe refused the reminder: ${e.message ?? String(err)}`,
      statusCode: e.statusCode ?? null,
      permanent: !retryableStripeError(err),
    };
  }
}

async function claimBatch(sql: Sql, now: Date, scope: Scope | null): Promise<Claimed[]> {
  const rule = pastDueRule(sql, now, () => rowGraceDays(sql));
  return sql<Claimed[]>`
    WITH claimed AS (
      UPDATE notifications n SET attempts = n.attempts + 1, next_attempt_at = ${new Date(now.getTime() + CLAIM_MS)},
        updated_at = now()
      WHERE (n.account_id, n.id) IN (
        SELECT account_id, id FROM notifications
        WHERE status = 'pending' AND next_attempt_at <= ${now}
          ${scope ? sql`AND account_id = ${scope.accountId} AND livemode = ${scope.livemode}` : sql``}
        ORDER BY next_attempt_at, id
        LIMIT ${BATCH}
        FOR UPDATE SKIP LOCKED)
      RETURNING n.id, n.account_id, n.livemode, n.invoice_id, n.kind, n.step, n.attempts
    )
    SELECT c.id, c.account_id, c.livemode, c.invoice_id, c.kind, c.step, c.attempts,
      ${rule.isPastDue()} AS still_past_due,
      i.gateway, i.external_id, i.number, i.currency, i.amount_remaining, i.due_date, ${rule.since()} AS past_due_since,
      ${rule.daysOfPastDue()} AS days, i.hosted_url, i.pdf_url,
      t.id AS tenant_id, t.name AS tenant_name, s.notify_url, s.notify_secret
    FROM claimed c
    JOIN invoices i ON i.id = c.invoice_id AND i.account_id = c.account_id AND i.livemode = c.livemode
    LEFT JOIN tenants t ON t.id = i.tenant_id AND t.account_id = c.account_id AND t.livemode = c.livemode
    LEFT JOIN account_settings s ON s.account_id = c.account_id AND s.livemode = c.livemode`;
}

async function record(sql: Sql, n: Claimed, outcome: Outcome, now: Date, startedMs: number): Promise<keyof DeliveryCounts> {
  const scope = { accountId: n.account_id, livemode: n.livemode };
  const durationMs = Math.round(performance.now() - startedMs);
  const ok = outcome.result === 'delivered';
  const error = outcome.result === 'delivered' ? null : outcome.error;
  const statusCode = outcome.result === 'cancelled' ? null : outcome.statusCode;
  let state: keyof DeliveryCounts;
  let status: 'delivered' | 'pending' | 'failed' | 'cancelled';
  let next = now;
  if (outcome.result === 'delivered') [state, status] = ['delivered', 'delivered'];
  else if (outcome.result === 'cancelled') [state, status] = ['cancelled', 'cancelled'];
  else if (outcome.permanent || n.attempts >= MAX_ATTEMPTS) [state, status] = ['failed', 'failed'];
  else {
    [state, status] = ['retrying', 'pending'];
    next = new Date(now.getTime() + backoffMs(n.attempts));
  }
  await sql.begin(async (tx) => {
    await tx`
      INSERT INTO notification_attempts (notification_id, account_id, livemode, attempt, at, ok, status_code, error, duration_ms)
      VALUES (${n.id}, ${n.account_id}, ${n.livemode}, ${n.attempts}, ${now}, ${ok}, ${statusCode}, ${error}, ${durationMs})`;
    await tx`
      UPDATE notifications SET status = ${status}, last_error = ${error}, next_attempt_at = ${next},
        delivered_at = ${ok ? now : null}, updated_at = now()
      WHERE id = ${n.id} AND account_id = ${n.account_id} AND livemode = ${n.livemode}`;
    if (ok && n.kind === 'customer') {
      await recordHistory(tx, scope, n.invoice_id, 'past_due', 'past_due', now, PAST_DUE_SCAN_SOURCE,
        `customer reminder sent through Stripe (step ${n.step})`);
    }
  });
  return state;
}

/**
 * Sends the pending notifications whose time has come (one account+mode, or all), CONCURRENCY at
 * a time, until none is left due at `now`. Safe to run from several instances at once.
 */
export async function deliverPendingNotifications(
  deps: DeliveryDeps,
  now: Date,
  scope: Scope | null,
): Promise<DeliveryCounts> {
  const counts: DeliveryCounts = { delivered: 0, retrying: 0, failed: 0, cancelled: 0 };
  const timeoutMs = deps.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  for (;;) {
    const batch = await claimBatch(deps.sql, now, scope);
    if (batch.length === 0) return counts;
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const n = batch[next++];
        const started = performance.now();
        let outcome: Outcome;
        if (!n.still_past_due) outcome = { result: 'cancelled', error: 'invoice is no longer past due' };
        else if (n.kind === 'admin') outcome = await postToReceiver(n, deps, timeoutMs);
        else outcome = await sendCustomerReminder(n, deps.stripe);
        const state = await record(deps.sql, n, outcome, now, started);
        counts[state]++;
        if (state !== 'delivered') {
          deps.logger.warn({ notification: n.id, kind: n.kind, attempt: n.attempts, state, error: 'error' in outcome ? outcome.error : undefined }, 'notification not delivered');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, batch.length) }, worker));
  }
}

/** Delivery record of one notification (for the admin and for tests). */
export async function notificationAttempts(db: Db, scope: Scope, notificationId: string) {
  return db<{ attempt: number; at: Date; ok: boolean; status_code: number | null; error: string | null }[]>`
    SELECT attempt, at, ok, status_code, error FROM notification_attempts
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND notification_id = ${notificationId}
    ORDER BY attempt, id`;
}
