// An admin notification POSTed to the account's notify_url, signed (signature.ts), to a public
// address only (post-json.ts).
import type { DeliveryOutcome, DueNotification } from '../../domain/notifications.js';
import { adminPayload } from '../../domain/notifications.js';
import { DeliveryRefusedError, DeliveryTimeoutError, postJson } from './post-json.js';
import type { Resolver } from './public-address.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature.js';

export interface ReceiverOptions {
  timeoutMs: number;
  /** NOTIFY_ALLOW_PRIVATE: receivers on loopback/private addresses allowed (development, tests) */
  allowPrivateReceivers?: boolean;
  /** DNS resolver for receivers' host names (default dns.lookup; tests inject one) */
  resolve?: Resolver;
}

export async function postToReceiver(n: DueNotification, deps: ReceiverOptions): Promise<DeliveryOutcome> {
  if (!n.notify_url || !n.notify_secret) return { result: 'cancelled', error: 'notify_url is no longer set' };
  return postSigned({ url: n.notify_url, secret: n.notify_secret, deliveryId: n.id }, JSON.stringify(adminPayload(n)), deps);
}

/** POSTs a JSON body to an account's receiver, signed with its notify_secret (notifications and the daily digest). */
export async function postSigned(
  target: { url: string; secret: string; deliveryId: string },
  body: string,
  deps: ReceiverOptions,
): Promise<DeliveryOutcome> {
  // Transport time (not the scan's clock): receivers check it against their own clock.
  const t = Math.floor(Date.now() / 1000);
  try {
    // Public addresses only, checked against the address connected to; redirects are not followed.
    const res = await postJson(target.url, {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'tenant-billing-notifications',
        [SIGNATURE_HEADER]: signatureHeader(target.secret, body, t),
        [DELIVERY_HEADER]: target.deliveryId,
      },
      body,
      timeoutMs: deps.timeoutMs,
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
