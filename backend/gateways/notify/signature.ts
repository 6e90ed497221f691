// How a receiver of admin notifications knows they are ours.
//
// Signature (how a receiver verifies). Header
//   Tenant-Billing-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
// where v1 = HMAC-SHA256(key = the account's notify_secret from GET /api/settings,
// message = `${t}.${raw request body}`). The receiver recomputes it over the exact bytes it
// received, compares in constant time, and rejects a t more than 5 minutes from its own clock.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Tenant-Billing-Signature';
export const DELIVERY_HEADER = 'Tenant-Billing-Delivery';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

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
