// Dev-only signing for `npm run preview` and `npm run demo`. A preview run generates its own app
// secret and webhook secret and hands them to the backend it starts, so the backend accepts
// dev signatures only while that preview runs; nothing here exists in a normal start. Refused
// outright when NODE_ENV=production.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Stripe from 'stripe';

export class DevModeRefusedError extends Error {}

/** Throws when the environment is production: dev secrets and signing must never run there. */
export function assertDevAllowed(env: Record<string, string | undefined> = process.env): void {
  if ((env.NODE_ENV ?? '').trim().toLowerCase() === 'production') {
    throw new DevModeRefusedError('preview and dev signing are refused when NODE_ENV=production');
  }
}

export interface DevSecrets {
  /** `absec_…`: the only app secret the preview backend accepts */
  appSecret: string;
  /** `whsec_…`: the webhook secret the preview backend verifies Stripe events with */
  webhookSecret: string;
}

/** Fresh random secrets for one preview run. */
export function createDevSecrets(env: Record<string, string | undefined> = process.env): DevSecrets {
  assertDevAllowed(env);
  return {
    appSecret: `absec_devpreview_${randomBytes(24).toString('hex')}`,
    webhookSecret: `whsec_devpreview_${randomBytes(24).toString('hex')}`,
  };
}

/**
 * What fetchStripeSignature(extra) returns in the Dashboard: a Stripe-Signature header over
 * JSON.stringify({ …extra, user_id, account_id }) — the additional payload first, then the user and
 * account, as Stripe's build-backend guide shows. The app passes { livemode }.
 */
export function signAppPayload(
  secret: string,
  ids: { user_id: string; account_id: string },
  extra: Record<string, unknown> = {},
  timestamp = Math.floor(Date.now() / 1000),
): string {
  const payload = JSON.stringify({ ...extra, user_id: ids.user_id, account_id: ids.account_id });
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

/** What a running preview tells `npm run demo` (file in the preview's data folder, mode 0600). */
export interface PreviewSession {
  backend_url: string;
  page_url: string;
  account_id: string;
  user_id: string;
  app_secret: string;
  webhook_secret: string;
  /** where the preview serves the dev PayPal certificate (allowed by the backend's PAYPAL_CERT_URL_PREFIXES) */
  paypal_cert_url: string;
  /** the fake Stripe API the preview backend talks to, when one runs */
  stripe_api_url: string | null;
  pid: number;
}

export const sessionFile = (dataDir: string) => path.join(dataDir, 'session.json');

export function writePreviewSession(dataDir: string, session: PreviewSession): string {
  mkdirSync(dataDir, { recursive: true });
  const file = sessionFile(dataDir);
  writeFileSync(file, JSON.stringify(session, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

export function readPreviewSession(dataDir: string): PreviewSession | null {
  try {
    return JSON.parse(readFileSync(sessionFile(dataDir), 'utf8')) as PreviewSession;
  } catch {
    return null;
  }
}

export function removePreviewSession(dataDir: string): void {
  rmSync(sessionFile(dataDir), { force: true });
}
