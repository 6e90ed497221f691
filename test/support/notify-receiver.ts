// A local HTTP receiver for past-due notifications, verifying the signature the way an admin's
// receiver would (written from the documented recipe, not with the backend's own helper).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  body: string;
  json: any;
  headers: IncomingHttpHeaders;
  /** the Tenant-Billing-Signature header matched the secret and was fresh */
  verified: boolean;
  /** status this receiver answered */
  answered: number;
}

export interface NotifyReceiver {
  url: string;
  /** every request, failed ones included */
  requests: Received[];
  /** requests answered 2xx */
  accepted(): Received[];
  /** answer 500 to the next n requests */
  failNext(n: number): void;
  /** wait this long before answering each request */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

/** Verifies `t=<unix>,v1=<hex>` = HMAC-SHA256(secret, `${t}.${body}`), within 5 minutes. */
export function verifyNotification(header: string | undefined, body: string, secret: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  if (Math.abs(Date.now() / 1000 - Number(m[1])) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2], 'hex'));
}

export async function startNotifyReceiver(opts: { secret: () => string; failTimes?: number; delayMs?: number }): Promise<NotifyReceiver> {
  let failures = opts.failTimes ?? 0;
  let delay = opts.delayMs ?? 0;
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = req.headers['tenant-billing-signature'];
      const verified = verifyNotification(Array.isArray(header) ? header[0] : header, body, opts.secret());
      let answered = 200;
      if (!verified) answered = 401;
      else if (failures > 0) {
        failures--;
        answered = 500;
      }
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {}
      requests.push({ body, json, headers: req.headers, verified, answered });
      if (delay) await new Promise((r) => setTimeout(r, delay));
      if (res.destroyed) return;
      res.writeHead(answered, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: answered === 200 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/billing`,
    requests,
    accepted: () => requests.filter((r) => r.answered >= 200 && r.answered < 300),
    failNext: (n) => {
      failures = n;
    },
    setDelay: (ms) => {
      delay = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
