// The past-due rule as SQL over one invoice row `i`, evaluated when read: nothing stored decides
// whether an invoice is past due or failed, only its facts, the clock and the grace days.
//
// Past due: open, not deleted, and its automatic payment failed (payment_failed), or its due date
// plus the account's past_due_grace_days has passed in whole UTC days: due 10 Jan with 0 grace
// days is past due from 11 Jan 00:00 UTC, with 2 grace days from 13 Jan 00:00 UTC.
// Failed: open, not deleted, payment_failed (the latest attempt failed and it was not paid since);
// a failed invoice is also past due, and its state is `failed`.
// days_past_due: whole UTC calendar days from the due date, or from the payment failure when that
// came first or there is no due date, to now; 0 when not past due.
import type postgres from 'postgres';
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';

/** The one badge an invoice shows, in the order the API documents them. */
export const INVOICE_STATES = ['draft', 'open', 'past_due', 'failed', 'paid', 'uncollectible', 'void'] as const;
export type InvoiceState = (typeof INVOICE_STATES)[number];

const DAY_MS = 86_400_000;

/** 00:00 UTC of the day of `now`. */
export const utcDayStart = (now: Date) => new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);

// Aging: the buckets of the past-due list and collections, by days past due.
export const AGING_BUCKETS = ['1-30', '31-60', '61-90', '90+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** Whole UTC calendar days from the earlier of the due date and the past-due start to `now` (>= 0). */
export function daysPastDue(now: Date, dueDate: Date | null, pastDueSince: Date | null): number {
  const times = [dueDate, pastDueSince].filter((d): d is Date => d !== null).map((d) => d.getTime());
  if (times.length === 0) return 0;
  const from = utcDayStart(new Date(Math.min(...times))).getTime();
  return Math.max(0, Math.round((utcDayStart(now).getTime() - from) / DAY_MS));
}

/** The most days past due of each bucket but the last (which has no limit). */
const BUCKET_LAST_DAYS = [30, 60, 90] as const;

/** The bucket of the rule's `bucket()` value: 0 is the oldest, NULL (no date) the newest. */
export const bucketAt = (n: number | null): AgingBucket => AGING_BUCKETS[AGING_BUCKETS.length - 1 - (n ?? AGING_BUCKETS.length - 1)];

/** An invoice past due 0 days (a payment failed before the due date) ages with the 1-30 ones. */
export function agingBucket(days: number): AgingBucket {
  const i = BUCKET_LAST_DAYS.findIndex((last) => days <= last);
  return AGING_BUCKETS[i === -1 ? AGING_BUCKETS.length - 1 : i];
}

type Fragment = postgres.Fragment;

/** Grace days of one account+mode (accounts without settings have the default, 0). */
export const scopeGraceDays = (db: Db, scope: Scope) => db`COALESCE((
  SELECT s.past_due_grace_days FROM account_settings s
  WHERE s.account_id = ${scope.accountId} AND s.livemode = ${scope.livemode}), 0)`;

/** Grace days of the row's own account+mode (for statements over every account). */
export const rowGraceDays = (db: Db) => db`COALESCE((
  SELECT s.past_due_grace_days FROM account_settings s
  WHERE s.account_id = i.account_id AND s.livemode = i.livemode), 0)`;

/** Grace days of one account+mode, read once: a read over many invoices then compares with constants. */
export async function graceDaysOf(db: Db, scope: Scope): Promise<number> {
  const [row] = await db<{ days: number }[]>`SELECT ${scopeGraceDays(db, scope)}::int AS days`;
  return row.days;
}

/**
 * The rule's SQL fragments over `invoices i` as of `now`, with `grace`: a number (graceDaysOf,
 * for the reads that filter many invoices: the cutoff becomes a constant of the statement), or
 * SQL (scopeGraceDays for a single-scope read; rowGraceDays over every account).
 * Each call builds new fragments, so a statement may embed any of them once each.
 */
export function pastDueRule(db: Db, now: Date, graceDays: number | (() => Fragment)) {
  const dayStart = utcDayStart(now);
  const grace = () => (typeof graceDays === 'number' ? db`${graceDays}::int` : graceDays());
  // due dates before this instant are past due (UTC days are all 24 hours)
  const cutoff = () =>
    typeof graceDays === 'number'
      ? db`${new Date(dayStart.getTime() - graceDays * DAY_MS)}::timestamptz`
      : db`(${dayStart}::timestamptz - make_interval(days => ${grace()}))`;
  const overdue = () => db`(i.payment_failed OR i.due_date < ${cutoff()})`;
  const pastDue = () => db`(i.status = 'open' AND NOT i.deleted AND ${overdue()})`;
  const failed = () => db`(i.status = 'open' AND NOT i.deleted AND i.payment_failed)`;
  const daysOfPastDue = () => db`COALESCE(GREATEST(0, (${now}::timestamptz AT TIME ZONE 'UTC')::date
    - (LEAST(i.due_date, i.payment_failed_at) AT TIME ZONE 'UTC')::date), 0)`;
  return {
    cutoff,
    /** condition (NULL counts as false): the invoice is past due now (failed ones included) */
    pastDue,
    /**
     * condition for a row already known to be open and not deleted: reads only columns of the
     * index invoices_open_since, so a select list over it stays an index-only scan
     */
    openPastDue: () => db`COALESCE(${overdue()}, false)`,
    /** boolean value of pastDue, never NULL, for select lists */
    isPastDue: () => db`COALESCE(${pastDue()}, false)`,
    /** boolean: the invoice's automatic payment failed and it is still open */
    failed,
    /** text: the invoice's state */
    state: () => db`(CASE WHEN ${failed()} THEN 'failed' WHEN ${pastDue()} THEN 'past_due' ELSE i.status END)`,
    /** integer: whole UTC days past due, 0 when not past due */
    days: () => db`(CASE WHEN ${pastDue()} THEN ${daysOfPastDue()} ELSE 0 END)`,
    /** integer: the same for a row already known to be past due (reads only indexed columns) */
    daysOfPastDue,
    /**
     * integer: the aging bucket of a row known to be past due, as bucketAt reads it. Its since key
     * is placed among each bucket's first instant, constants of the statement (width_bucket): no
     * date arithmetic per row, so the aging of many open invoices is an index scan and a small hash.
     */
    bucket: () => {
      const first = (days: number) => new Date(dayStart.getTime() - days * DAY_MS);
      const starts = [...BUCKET_LAST_DAYS].reverse().map((days) => first(days).toISOString());
      return db`width_bucket(LEAST(i.due_date, i.payment_failed_at), ${starts}::timestamptz[])`;
    },
    /**
     * timestamptz: when the invoice became past due: its payment failure, or 00:00 UTC of the day
     * after its due date plus the grace days, whichever came first.
     */
    since: () => db`COALESCE(LEAST(
      CASE WHEN i.payment_failed THEN i.payment_failed_at END,
      ((i.due_date AT TIME ZONE 'UTC')::date + 1 + ${grace()})::timestamp AT TIME ZONE 'UTC'), i.source_time)`,
  };
}

/** Where the Stripe Dashboard shows an invoice (the test-mode path for test data); null for PayPal. */
export function dashboardUrl(gateway: string, externalId: string, livemode: boolean): string | null {
  if (gateway !== 'stripe') return null;
  return `https://dashboard.stripe.com/${livemode ? '' : 'test/'}invoices/${encodeURIComponent(externalId)}`;
}
