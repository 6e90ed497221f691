// Per-account, per-mode settings. A missing row means the defaults.
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';

export interface Settings {
  paypal_webhook_id: string | null;
  tenant_metadata_key: string | null;
  notify_url: string | null;
  past_due_grace_days: number;
  reminder_steps: number[];
  /** the daily digest to notify_url (column digest_enabled, migration 018) */
  daily_digest: boolean;
  notify_secret: string;
}

export type SettingsUpdate = Partial<Omit<Settings, 'notify_secret'>>;

/** Returns the settings, creating the row (and its notification signing secret) on first use. */
export async function getSettings(db: Db, scope: Scope): Promise<Settings> {
  const [row] = await db<Settings[]>`
    INSERT INTO account_settings (account_id, livemode) VALUES (${scope.accountId}, ${scope.livemode})
    ON CONFLICT (account_id, livemode) DO UPDATE SET account_id = EXCLUDED.account_id
    RETURNING paypal_webhook_id, tenant_metadata_key, notify_url, past_due_grace_days, reminder_steps,
      digest_enabled AS daily_digest, notify_secret`;
  return row;
}

/** Read-only lookup for hot paths (webhooks, scans): no row lock, defaults when none is saved. */
export async function readSettings(db: Db, scope: Scope): Promise<Omit<Settings, 'notify_secret'>> {
  const [row] = await db<Omit<Settings, 'notify_secret'>[]>`
    SELECT paypal_webhook_id, tenant_metadata_key, notify_url, past_due_grace_days, reminder_steps,
      digest_enabled AS daily_digest
    FROM account_settings WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode}`;
  return (
    row ?? { paypal_webhook_id: null, tenant_metadata_key: null, notify_url: null, past_due_grace_days: 0, reminder_steps: [0, 7, 30], daily_digest: false }
  );
}

export async function updateSettings(db: Db, scope: Scope, update: SettingsUpdate): Promise<Settings> {
  const current = await getSettings(db, scope);
  const next = { ...current, ...update };
  const [row] = await db<Settings[]>`
    UPDATE account_settings SET
      paypal_webhook_id = ${next.paypal_webhook_id},
      tenant_metadata_key = ${next.tenant_metadata_key},
      notify_url = ${next.notify_url},
      past_due_grace_days = ${next.past_due_grace_days},
      reminder_steps = ${next.reminder_steps},
      digest_enabled = ${next.daily_digest},
      updated_at = now()
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode}
    RETURNING paypal_webhook_id, tenant_metadata_key, notify_url, past_due_grace_days, reminder_steps,
      digest_enabled AS daily_digest, notify_secret`;
  return row;
}

/** Modes whose PayPal webhook id is `webhookId`, for the PayPal verifier. */
export async function paypalWebhookIds(db: Db, accountId: string): Promise<{ livemode: boolean; webhook_id: string }[]> {
  return db<{ livemode: boolean; webhook_id: string }[]>`
    SELECT livemode, paypal_webhook_id AS webhook_id FROM account_settings
    WHERE account_id = ${accountId} AND paypal_webhook_id IS NOT NULL`;
}
