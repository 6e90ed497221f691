// Signs a PayPal webhook transmission exactly as PayPal does, with the committed test key:
// SHA256withRSA over `<transmission id>|<time>|<webhook id>|<crc32 of the raw body, unsigned decimal>`.
import { randomUUID, sign, type KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { fixture } from './cert-server.js';

export const TEST_PRIVATE_KEY = fixture('key.pem');

export interface SignOptions {
  webhookId: string;
  certUrl: string;
  time?: Date;
  transmissionId?: string;
  authAlgo?: string;
  key?: Buffer | KeyObject;
}

export function paypalHeaders(body: string | Uint8Array, o: SignOptions): Record<string, string> {
  const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const transmissionId = o.transmissionId ?? randomUUID();
  const time = (o.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const signed = `${transmissionId}|${time}|${o.webhookId}|${crc32(raw) >>> 0}`;
  return {
    'content-type': 'application/json',
    'paypal-transmission-id': transmissionId,
    'paypal-transmission-time': time,
    'paypal-transmission-sig': sign('sha256', Buffer.from(signed), o.key ?? TEST_PRIVATE_KEY).toString('base64'),
    'paypal-cert-url': o.certUrl,
    'paypal-auth-algo': o.authAlgo ?? 'SHA256withRSA',
  };
}
