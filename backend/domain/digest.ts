// The daily digest: one message per account+mode and UTC day, after the past-due scan, for
// accounts that opted in (settings `daily_digest`) and have a notify_url. It summarises instead of
// one message per invoice:
//   - newly past due: invoices that became past due in the period (since the previous digest, or
//     the 24 hours before the first) and still are, per currency and aging bucket;
//   - payment failures in the period: failure events per currency, with the outstanding amount of
//     the invoices they were for;
//   - the top overdue tenants: per currency, the 5 tenants with most past-due amount now.
// Amounts are per currency, never summed across currencies.
//
// One a day. The row (UNIQUE account_id, livemode, day) is claimed with its content in one
// statement, so several instances scanning together create one; delivery claims a pending row
// (FOR UPDATE SKIP LOCKED) like a notification and retries with the same backoff.
import type { Db, Sql } from '../db/client.js';
import type { Scope } from './accounts.js';
import { formatMoney } from './money.js';
import { AGING_BUCKETS, agingBucket, pastDueRule, scopeGraceDays, type AgingBucket } from './past-due-rule.js';

const DAY_MS = 86_400_000;
export const DIGEST_TOP_TENANTS = 5;

/** Stripe failure events and PayPal's failed subscription payment. */
export const PAYMENT_FAILURE_TYPES = ['invoice.payment_failed', 'BILLING.SUBSCRIPTION.PAYMENT.FAILED'];

export interface Figure {
  count: number;
  amount: number;
}

export interface DigestContent {
  newly_past_due: { currency: string; count: number; amount: number; buckets: Record<AgingBucket, Figure> }[];
  payment_failures: { currency: string; failures: number; invoices: number; amount: number }[];
  top_overdue_tenants: { currency: string; tenants: { tenant: { id: string; name: string } | null; count: number; amount: number }[] }[];
}

/** The JSON the receiver gets: Slack-compatible `text` and `blocks`, plus the figures. */
export interface DigestPayload extends DigestContent {
  id: string;
  type: 'digest.daily';
  livemode: boolean;
  day: string;
  period: { from: string; to: string };
  text: string;
  blocks: unknown[];
  links: { app: string };
}

/** UTC date (YYYY-MM-DD) of `now`. */
export const utcDay = (now: Date) => now.toISOString().slice(0, 10);

const zero = (): Figure => ({ count: 0, amount: 0 });

export async function digestContent(db: Db, scope: Scope, from: Date, to: Date, now: Date): Promise<DigestContent> {
  const rule = pastDueRule(db, now, () => scopeGraceDays(db, scope));
  const inScope = db`i.account_id = ${scope.accountId} AND i.livemode = ${scope.livemode}`;
  // Past due now, entered in (from, to]: grouped by whole days so bucketing stays in one place (agingBucket).
  const entered = await db<{ currency: string; days: number; count: number; amount: number }[]>`
    SELECT currency, days, count(*)::int AS count, sum(amount_remaining)::bigint AS amount FROM (
      SELECT i.currency, i.amount_remaining, ${rule.daysOfPastDue()} AS days, ${rule.since()} AS since
      FROM invoices i WHERE ${inScope} AND ${rule.pastDue()}
    ) p
    WHERE since > ${from} AND since <= ${to}
    GROUP BY currency, days`;
  const failures = await db<{ currency: string; failures: number; invoices: number; amount: number }[]>`
    SELECT f.currency, sum(f.n)::int AS failures, count(*)::int AS invoices, sum(f.amount_remaining)::bigint AS amount
    FROM (
      SELECT i.id, i.currency, i.amount_remaining, count(*) AS n
      FROM payment_events e
      JOIN invoices i ON i.id = e.invoice_id AND i.account_id = e.account_id AND i.livemode = e.livemode
      WHERE e.account_id = ${scope.accountId} AND e.livemode = ${scope.livemode}
        AND e.type = ANY(${PAYMENT_FAILURE_TYPES}::text[]) AND e.occurred_at > ${from} AND e.occurred_at <= ${to}
      GROUP BY i.id, i.currency, i.amount_remaining
    ) f
    GROUP BY f.currency ORDER BY f.currency`;
  const tenants = await db<{ currency: string; tenant_id: string | null; tenant_name: string | null; count: number; amount: number }[]>`
    SELECT o.currency, o.tenant_id, t.name AS tenant_name, o.count, o.amount FROM (
      SELECT currency, tenant_id, count, amount,
        row_number() OVER (PARTITION BY currency ORDER BY amount DESC, count DESC, tenant_id NULLS LAST) AS rank
      FROM (
        SELECT i.currency, i.tenant_id, count(*)::int AS count, sum(i.amount_remaining)::bigint AS amount
        FROM invoices i WHERE ${inScope} AND ${rule.pastDue()}
        GROUP BY i.currency, i.tenant_id
      ) g
    ) o
    LEFT JOIN tenants t ON t.id = o.tenant_id AND t.account_id = ${scope.accountId} AND t.livemode = ${scope.livemode}
    WHERE o.rank <= ${DIGEST_TOP_TENANTS}
    ORDER BY o.currency, o.rank`;

  const byCurrency = new Map<string, DigestContent['newly_past_due'][number]>();
  for (const r of entered) {
    let entry = byCurrency.get(r.currency);
    if (!entry) {
      entry = { currency: r.currency, count: 0, amount: 0, buckets: Object.fromEntries(AGING_BUCKETS.map((b) => [b, zero()])) as Record<AgingBucket, Figure> };
      byCurrency.set(r.currency, entry);
    }
    const bucket = entry.buckets[agingBucket(r.days)];
    bucket.count += r.count;
    bucket.amount += Number(r.amount);
    entry.count += r.count;
    entry.amount += Number(r.amount);
  }
  const top = new Map<string, DigestContent['top_overdue_tenants'][number]>();
  for (const r of tenants) {
    const entry = top.get(r.currency) ?? { currency: r.currency, tenants: [] };
    top.set(r.currency, entry);
    entry.tenants.push({
      tenant: r.tenant_id && r.tenant_name !== null ? { id: r.tenant_id, name: r.tenant_name } : null,
      count: r.count,
      amount: Number(r.amount),
    });
  }
  return {
    newly_past_due: [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    payment_failures: failures.map((f) => ({ ...f, amount: Number(f.amount) })),
    top_overdue_tenants: [...top.values()],
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The Slack-compatible message: a one-paragraph `text` (notification fallback) and mrkdwn blocks. */
export function digestMessage(content: DigestContent, day: string, livemode: boolean, appUrl: string): { text: string; blocks: unknown[] } {
  const mode = livemode ? '' : ' (test mode)';
  const entered = content.newly_past_due.map(
    (c) =>
      `${plural(c.count, 'invoice')} ${formatMoney(c.amount, c.currency)} (` +
      AGING_BUCKETS.filter((b) => c.buckets[b].count > 0)
        .map((b) => `${b} days: ${c.buckets[b].count} ${formatMoney(c.buckets[b].amount, c.currency)}`)
        .join(', ') +
      ')',
  );
  const failed = content.payment_failures.map(
    (f) => `${plural(f.failures, 'failure')} on ${plural(f.invoices, 'invoice')}, ${formatMoney(f.amount, f.currency)} outstanding`,
  );
  const tenants = content.top_overdue_tenants.map(
    (c) =>
      `${c.currency.toUpperCase()}: ` +
      c.tenants.map((t) => `${t.tenant?.name ?? 'No tenant'} ${formatMoney(t.amount, c.currency)} (${t.count})`).join(', '),
  );
  const section = (title: string, lines: string[], none: string) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: `*${title}*\n${lines.length ? lines.map((l) => `• ${l}`).join('\n') : none}` },
  });
  const text =
    `Tenant Billing daily digest ${day}${mode}: ` +
    `newly past due ${entered.length ? entered.join('; ') : 'none'}; ` +
    `payment failures ${failed.length ? failed.join('; ') : 'none'}; ` +
    `top overdue ${tenants.length ? tenants.join('; ') : 'none'}. <${appUrl}|Open Tenant Billing>`;
  const blocks = [
    { type: 'header', text: { type: 'plain_text', text: `Tenant Billing daily digest ${day}${mode}` } },
    section('Newly past due', entered, 'None since the last digest.'),
    section('Payment failures', failed, 'None since the last digest.'),
    section(`Top overdue tenants`, tenants, 'Nothing is past due.'),
    {
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open Tenant Billing' }, url: appUrl }],
    },
  ];
  return { text, blocks };
}

// --- rows ---------------------------------------------------------------------------------------

/** Accounts+modes that want a digest today and have none yet (one, or all when scope is null). */
export async function digestsDue(db: Db, now: Date, scope: Scope | null): Promise<(Scope & { since: Date })[]> {
  const day = utcDay(now);
  const rows = await db<{ account_id: string; livemode: boolean; since: Date | null }[]>`
    SELECT s.account_id, s.livemode,
      (SELECT max(d.period_end) FROM digests d WHERE d.account_id = s.account_id AND d.livemode = s.livemode) AS since
    FROM account_settings s
    WHERE s.digest_enabled AND s.notify_url IS NOT NULL
      ${scope ? db`AND s.account_id = ${scope.accountId} AND s.livemode = ${scope.livemode}` : db``}
      AND NOT EXISTS (SELECT 1 FROM digests d WHERE d.account_id = s.account_id AND d.livemode = s.livemode AND d.day = ${day}::date)`;
  return rows.map((r) => ({
    accountId: r.account_id,
    livemode: r.livemode,
    // the first digest covers the day before; a later one starts where the previous ended
    since: r.since && r.since.getTime() < now.getTime() ? r.since : new Date(now.getTime() - DAY_MS),
  }));
}

/** Claims today's row with its payload; false when another instance (or an earlier scan) has it. */
export async function claimDigest(
  db: Db,
  scope: Scope,
  row: { id: string; day: string; from: Date; to: Date; payload: DigestPayload },
): Promise<boolean> {
  const inserted = await db`
    INSERT INTO digests (id, account_id, livemode, day, period_start, period_end, payload, next_attempt_at)
    VALUES (${row.id}, ${scope.accountId}, ${scope.livemode}, ${row.day}::date, ${row.from}, ${row.to},
            ${db.json(row.payload as never)}, ${row.to})
    ON CONFLICT (account_id, livemode, day) DO NOTHING
    RETURNING id`;
  return inserted.length > 0;
}

export interface ClaimedDigest {
  id: string;
  account_id: string;
  livemode: boolean;
  attempts: number;
  payload: DigestPayload;
  notify_url: string | null;
  notify_secret: string | null;
  digest_enabled: boolean;
}

/** Takes pending digests whose time has come, reserving each for `claimMs` (a crashed sender's is retried then). */
export async function claimPendingDigests(sql: Sql, now: Date, scope: Scope | null, claimMs: number, limit: number): Promise<ClaimedDigest[]> {
  return sql<ClaimedDigest[]>`
    WITH claimed AS (
      UPDATE digests d SET attempts = d.attempts + 1, next_attempt_at = ${new Date(now.getTime() + claimMs)}, updated_at = now()
      WHERE (d.account_id, d.id) IN (
        SELECT account_id, id FROM digests
        WHERE status = 'pending' AND next_attempt_at <= ${now}
          ${scope ? sql`AND account_id = ${scope.accountId} AND livemode = ${scope.livemode}` : sql``}
        ORDER BY next_attempt_at, id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING d.id, d.account_id, d.livemode, d.attempts, d.payload
    )
    SELECT c.id, c.account_id, c.livemode, c.attempts, c.payload, s.notify_url, s.notify_secret,
      COALESCE(s.digest_enabled, false) AS digest_enabled
    FROM claimed c
    LEFT JOIN account_settings s ON s.account_id = c.account_id AND s.livemode = c.livemode`;
}

export async function recordDigestAttempt(
  db: Db,
  d: Pick<ClaimedDigest, 'id' | 'account_id' | 'livemode'>,
  r: { status: 'delivered' | 'pending' | 'failed' | 'cancelled'; error: string | null; statusCode: number | null; next: Date; now: Date },
): Promise<void> {
  await db`
    UPDATE digests SET status = ${r.status}, last_error = ${r.error}, last_status_code = ${r.statusCode},
      next_attempt_at = ${r.next}, delivered_at = ${r.status === 'delivered' ? r.now : null}, updated_at = now()
    WHERE id = ${d.id} AND account_id = ${d.account_id} AND livemode = ${d.livemode}`;
}

/** The digests of one account+mode, newest first (for tests and support). */
export async function listDigests(db: Db, scope: Scope) {
  return db<{ id: string; day: string; status: string; attempts: number; last_error: string | null; payload: DigestPayload }[]>`
    SELECT id, to_char(day, 'YYYY-MM-DD') AS day, status, attempts, last_error, payload FROM digests
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode}
    ORDER BY day DESC`;
}
