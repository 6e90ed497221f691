// Offline verification of a PayPal webhook transmission. Hand-written because no maintained npm
// package does it (@paypal/paypal-server-sdk has no webhook verifier, and the online
// verify-webhook-signature call needs OAuth and breaks on re-encoded bodies).
// PayPal signs `<transmission id>|<transmission time>|<webhook id>|<crc32 of the raw body>` (the
// CRC as an unsigned decimal) with SHA256withRSA, using the certificate behind paypal-cert-url.
import { createVerify } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { VerificationError, type CertificateStore } from './certificates.js';

export { VerificationError };

export interface Transmission {
  id: string;
  time: string;
  signature: string;
  certUrl: string;
  authAlgo: string;
}

export function readTransmission(header: (name: string) => string | undefined): Transmission {
  const get = (name: string) => {
    const v = header(name);
    if (!v) throw new VerificationError(`missing ${name} header`);
    return v;
  };
  return {
    id: get('paypal-transmission-id'),
    time: get('paypal-transmission-time'),
    signature: get('paypal-transmission-sig'),
    certUrl: get('paypal-cert-url'),
    authAlgo: get('paypal-auth-algo'),
  };
}

export function signedString(t: Pick<Transmission, 'id' | 'time'>, webhookId: string, rawBody: Uint8Array): string {
  return `${t.id}|${t.time}|${webhookId}|${crc32(rawBody) >>> 0}`;
}

export interface VerifyInput {
  transmission: Transmission;
  rawBody: Uint8Array;
  /** candidate webhook ids (one per mode) from the account's settings, never from the request */
  webhooks: { livemode: boolean; webhook_id: string }[];
  certificates: CertificateStore;
  now: Date;
  maxSkewMinutes: number;
}

/** Returns the mode whose webhook id the transmission was signed for; throws VerificationError otherwise. */
export async function verifyTransmission(input: VerifyInput): Promise<{ livemode: boolean }> {
  const { transmission: t, rawBody, webhooks, certificates, now } = input;
  if (t.authAlgo !== 'SHA256withRSA') throw new VerificationError(`unsupported paypal-auth-algo ${t.authAlgo}`);
  const sentAt = Date.parse(t.time);
  if (Number.isNaN(sentAt)) throw new VerificationError('paypal-transmission-time is not a timestamp');
  if (Math.abs(now.getTime() - sentAt) > input.maxSkewMinutes * 60_000) {
    throw new VerificationError('paypal-transmission-time is outside the allowed clock skew');
  }
  if (webhooks.length === 0) {
    // An unknown account and an account without a PayPal webhook id look the same to the sender.
    throw new VerificationError('no PayPal webhook id is configured for this account');
  }
  const signature = Buffer.from(t.signature, 'base64');
  const cert = await certificates.get(t.certUrl, now);
  const matches = webhooks.filter(({ webhook_id }) =>
    createVerify('RSA-SHA256').update(signedString(t, webhook_id, rawBody)).verify(cert.publicKey, signature),
  );
  if (matches.length === 0) throw new VerificationError('the PayPal signature does not match');
  if (matches.length > 1) throw new VerificationError('the same PayPal webhook id is configured for both modes');
  return { livemode: matches[0].livemode };
}
