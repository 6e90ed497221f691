// The install registry: one row per Stripe account that uses the app.
import type { Db } from '../db/client.js';

/**
 * What a Stripe account id looks like. The one copy: webhook accounts, app-auth headers and
 * STRIPE_ACCOUNT_ID are all checked against it, so no stray value ever becomes an account row.
 */
export const ACCOUNT_ID_PATTERN = /^acct_[A-Za-z0-9]{1,64}$/;

export const isAccountId = (value: unknown): value is string => typeof value === 'string' && ACCOUNT_ID_PATTERN.test(value);

/** Account scope of every query: the account and the Dashboard mode. */
export interface Scope {
  accountId: string;
  livemode: boolean;
}

/** Registers an account seen for the first time (API call or webhook); idempotent. */
export async function ensureAccount(db: Db, accountId: string): Promise<void> {
  await db`INSERT INTO accounts (id) VALUES (${accountId}) ON CONFLICT (id) DO NOTHING`;
}

export async function markInstalled(db: Db, accountId: string, at: Date): Promise<void> {
  await db`INSERT INTO accounts (id, installed_at) VALUES (${accountId}, ${at})
    ON CONFLICT (id) DO UPDATE SET installed_at = ${at}, uninstalled_at = NULL`;
}

export async function markUninstalled(db: Db, accountId: string, at: Date): Promise<void> {
  await db`UPDATE accounts SET uninstalled_at = ${at} WHERE id = ${accountId}`;
}
