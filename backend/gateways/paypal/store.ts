// SQL of the PayPal tables (004_paypal.sql): subscription state and refunds.
import type { Db } from '../../db/client.js';
import type { Scope } from '../../domain/accounts.js';
import type { RefundRecord, SubscriptionState } from './parse-event.js';

export interface StoredSubscription {
  subscription_id: string;
  status: string;
  payer_id: string | null;
  tenant_id: string | null;
  outstanding_cycle: number;
}

/**
 * Saves a subscription state unless a newer one is stored (state_time, then event id); returns
 * whether it was applied. An older state may still bring a tenant the row lacks.
 */
export async function saveSubscription(
  db: Db,
  scope: Scope,
  s: SubscriptionState,
  tenantId: string | null,
  eventId: string,
): Promise<boolean> {
  const applied = await db`
    INSERT INTO paypal_subscriptions (
      account_id, livemode, subscription_id, legacy, status, plan_id, payer_id, custom_id, tenant_id,
      outstanding_amount, outstanding_currency, failed_payments_count, state_time, source_event_id)
    VALUES (
      ${scope.accountId}, ${scope.livemode}, ${s.id}, ${s.legacy}, ${s.status}, ${s.plan_id}, ${s.payer_id},
      ${s.custom_id}, ${tenantId}, ${s.outstanding?.amount ?? null}, ${s.outstanding?.currency ?? null},
      ${s.failed_payments_count}, ${s.state_time}, ${eventId})
    ON CONFLICT (account_id, livemode, subscription_id) DO UPDATE SET
      legacy = EXCLUDED.legacy, status = EXCLUDED.status,
      plan_id = COALESCE(EXCLUDED.plan_id, paypal_subscriptions.plan_id),
      payer_id = COALESCE(EXCLUDED.payer_id, paypal_subscriptions.payer_id),
      custom_id = COALESCE(EXCLUDED.custom_id, paypal_subscriptions.custom_id),
      tenant_id = COALESCE(EXCLUDED.tenant_id, paypal_subscriptions.tenant_id),
      outstanding_amount = EXCLUDED.outstanding_amount, outstanding_currency = EXCLUDED.outstanding_currency,
      failed_payments_count = EXCLUDED.failed_payments_count,
      state_time = EXCLUDED.state_time, source_event_id = EXCLUDED.source_event_id, updated_at = now()
    WHERE (paypal_subscriptions.state_time, paypal_subscriptions.source_event_id)
        < (EXCLUDED.state_time, EXCLUDED.source_event_id)
    RETURNING subscription_id`;
  if (applied.length === 0 && tenantId) {
    await db`
      UPDATE paypal_subscriptions SET tenant_id = ${tenantId}, updated_at = now()
      WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND subscription_id = ${s.id}
        AND tenant_id IS NULL`;
  }
  return applied.length > 0;
}

/** `lock` holds the row until commit, so concurrent events of one subscription take turns. */
export async function getSubscription(
  db: Db,
  scope: Scope,
  subscriptionId: string,
  lock = false,
): Promise<StoredSubscription | null> {
  return (await getSubscriptions(db, scope, [subscriptionId], lock)).get(subscriptionId) ?? null;
}

/** Several subscriptions by id; locked in id order (concurrent batches never deadlock). */
export async function getSubscriptions(
  db: Db,
  scope: Scope,
  subscriptionIds: string[],
  lock = false,
): Promise<Map<string, StoredSubscription>> {
  if (subscriptionIds.length === 0) return new Map();
  const rows = await db<StoredSubscription[]>`
    SELECT subscription_id, status, payer_id, tenant_id, outstanding_cycle FROM paypal_subscriptions
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND subscription_id = ANY(${subscriptionIds}::text[])
    ORDER BY subscription_id
    ${lock ? db`FOR UPDATE` : db``}`;
  return new Map(rows.map((r) => [r.subscription_id, r]));
}

export async function setOutstandingCycle(db: Db, scope: Scope, subscriptionId: string, cycle: number): Promise<void> {
  await db`
    UPDATE paypal_subscriptions SET outstanding_cycle = ${cycle}, updated_at = now()
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND subscription_id = ${subscriptionId}`;
}

/** Records a refund or reversal, once per refund id. */
export async function saveRefund(db: Db, scope: Scope, r: RefundRecord): Promise<void> {
  await db`
    INSERT INTO paypal_refunds (account_id, livemode, refund_id, payment_id, currency, amount, refunded_at)
    VALUES (${scope.accountId}, ${scope.livemode}, ${r.id}, ${r.payment_id}, ${r.money.currency}, ${r.money.amount}, ${r.at})
    ON CONFLICT (account_id, livemode, refund_id) DO UPDATE SET
      amount = EXCLUDED.amount, currency = EXCLUDED.currency, refunded_at = EXCLUDED.refunded_at`;
}

/** Refunded totals of a payment per currency. */
export async function refundedTotals(db: Db, scope: Scope, paymentId: string): Promise<Map<string, number>> {
  return (await refundedTotalsOf(db, scope, [paymentId])).get(paymentId) ?? new Map();
}

/** Refunded totals of several payments: payment id -> currency -> amount. */
export async function refundedTotalsOf(db: Db, scope: Scope, paymentIds: string[]): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  if (paymentIds.length === 0) return out;
  const rows = await db<{ payment_id: string; currency: string; total: number }[]>`
    SELECT payment_id, currency, sum(amount)::bigint AS total FROM paypal_refunds
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND payment_id = ANY(${paymentIds}::text[])
    GROUP BY payment_id, currency`;
  for (const r of rows) out.set(r.payment_id, (out.get(r.payment_id) ?? new Map()).set(r.currency, r.total));
  return out;
}
