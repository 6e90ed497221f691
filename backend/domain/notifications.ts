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
// Delivery itself (HMAC signing, the outbound POST, the Stripe reminder) is gateway work:
// gateways/notify/ and gateways/stripe/customer-reminder.ts.
import type { Db, Sql } from '../db/client.js';
import type { Scope } from './accounts.js';
import { recordHistory } from './invoices.js';
import { formatMoney } from './money.js';
import { PAST_DUE_SCAN_SOURCE } from './past-due-transitions.js';
import { pastDueRule, rowGraceDays } from './past-due-rule.js';
import { ADMIN_WORDING, tenantStepDays, toneFor, type ReminderStep, type ReminderTone } from './reminder-tones.js';

/** Attempts before a notification is given up as failed. */
export const MAX_ATTEMPTS = 8;
const BACKOFF_BASE_MS = 60_000;
const BACKOFF_MAX_MS = 6 * 3_600_000;
/** How long a claimed delivery is reserved for its sender; after a crash it is retried then. */
const CLAIM_MS = 5 * 60_000;
const BATCH = 100;

/** Delay before attempt n+1 after n failed attempts: 1, 2, 4, 8 … minutes, at most 6 hours. */
export const backoffMs = (attempts: number) => Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);

export type NotificationKind = 'admin' | 'customer';

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
      -- a tenant's own reminder steps (migration 018) replace the account's for its invoices
      SELECT i.id, i.account_id, i.livemode, 'admin' AS kind, COALESCE(${tenantStepDays(tx)}, s.reminder_steps) AS steps,
        ${admin.daysOfPastDue()} AS days
      FROM account_settings s
      JOIN invoices i ON i.account_id = s.account_id AND i.livemode = s.livemode
      LEFT JOIN tenants t ON t.id = i.tenant_id AND t.account_id = i.account_id AND t.livemode = i.livemode
      WHERE s.notify_url IS NOT NULL AND ${admin.pastDue()} ${only('s')}
      UNION ALL
      -- '{0,7,30}' is the column default, for accounts that never saved settings.
      SELECT i.id, i.account_id, i.livemode, 'customer', COALESCE(${tenantStepDays(tx)}, s.reminder_steps, '{0,7,30}'),
        ${customer.daysOfPastDue()}
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

// --- delivering: claim, what to send, record ------------------------------------------------------

export interface DeliveryCounts {
  delivered: number;
  retrying: number;
  failed: number;
  cancelled: number;
}

/** A claimed notification with what its delivery needs (one row of claimDueNotifications). */
export interface DueNotification {
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
  /** the tenant's own reminder steps, or null (the account's apply) */
  tenant_steps: ReminderStep[] | null;
  account_steps: number[] | null;
}

/** The tone of a claimed reminder (per-tenant escalation, reminder-tones.ts). */
export const toneOf = (n: DueNotification): ReminderTone => toneFor(n.step, n.tenant_steps, n.account_steps ?? [0, 7, 30]);

/** What one delivery attempt came to. */
export type DeliveryOutcome =
  | { result: 'delivered'; statusCode: number | null }
  | { result: 'cancelled'; error: string }
  | { result: 'error'; error: string; statusCode: number | null; permanent: boolean };

/** The JSON an admin receiver gets. */
export interface AdminNotificationPayload {
  id: string;
  type: 'invoice.past_due';
  livemode: boolean;
  step: number;
  /** the step's tone: the tenant's own, else friendly, firm, final by position in the account's steps */
  tone: ReminderTone;
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

export function adminPayload(n: DueNotification): AdminNotificationPayload {
  const days = n.days ?? 0;
  const what = n.number ? `Invoice ${n.number}` : `Invoice ${n.external_id}`;
  const who = n.tenant_name ? ` for ${n.tenant_name}` : '';
  const owed = `${formatMoney(n.amount_remaining, n.currency)} outstanding`;
  const age = `${days} day${days === 1 ? '' : 's'} past due`;
  const head = n.step === 0 ? `${what}${who} is now past due (${age})` : `${what}${who} is still unpaid: ${age}`;
  const link = n.hosted_url ? ` <${n.hosted_url}|Open invoice>` : '';
  const tone = toneOf(n);
  const { lead, close } = ADMIN_WORDING[tone];
  return {
    id: n.id,
    type: 'invoice.past_due',
    livemode: n.livemode,
    step: n.step,
    tone,
    text: `${lead}${head}, ${owed}.${close}${link}`,
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

/**
 * Claims up to BATCH pending notifications whose time has come (one account+mode, or all): each is
 * reserved for CLAIM_MS and counts an attempt. FOR UPDATE SKIP LOCKED: concurrent senders split them.
 */
export async function claimDueNotifications(sql: Sql, now: Date, scope: Scope | null): Promise<DueNotification[]> {
  const rule = pastDueRule(sql, now, () => rowGraceDays(sql));
  return sql<DueNotification[]>`
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
      t.id AS tenant_id, t.name AS tenant_name, s.notify_url, s.notify_secret,
      t.reminder_steps AS tenant_steps, s.reminder_steps AS account_steps
    FROM claimed c
    JOIN invoices i ON i.id = c.invoice_id AND i.account_id = c.account_id AND i.livemode = c.livemode
    LEFT JOIN tenants t ON t.id = i.tenant_id AND t.account_id = c.account_id AND t.livemode = c.livemode
    LEFT JOIN account_settings s ON s.account_id = c.account_id AND s.livemode = c.livemode`;
}

/** Records one attempt and the notification's new state (retry time, failed, delivered). */
export async function recordDeliveryOutcome(sql: Sql, n: DueNotification, outcome: DeliveryOutcome, now: Date, startedMs: number): Promise<keyof DeliveryCounts> {
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
        `customer reminder sent through Stripe (step ${n.step}, ${toneOf(n)})`);
    }
  });
  return state;
}

/** Delivery record of one notification (for the admin and for tests). */
export async function notificationAttempts(db: Db, scope: Scope, notificationId: string) {
  return db<{ attempt: number; at: Date; ok: boolean; status_code: number | null; error: string | null }[]>`
    SELECT attempt, at, ok, status_code, error FROM notification_attempts
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND notification_id = ${notificationId}
    ORDER BY attempt, id`;
}
