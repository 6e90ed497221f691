// One outbound POST to a receiver an account configured (notify_url), with the address policy of
// public-address.ts applied to the address actually connected to. node:http(s) rather than fetch:
// its `lookup` hook is where the resolved address is checked and pinned, and it never follows
// redirects (a 3xx is just an answer).
import http from 'node:http';
import https from 'node:https';
import { literalIp, isPublicAddress, notifyUrlProblem, PrivateAddressError, publicOnlyLookup, type Resolver } from './public-address.js';

export interface PostOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** NOTIFY_ALLOW_PRIVATE: skip the address checks (development and tests only) */
  allowPrivate: boolean;
  /** DNS resolver (tests inject one; default dns.lookup) */
  resolve?: Resolver;
  /** at most this much of the answer is read */
  maxResponseBytes?: number;
}

export interface PostResult {
  status: number;
  /** the start of the answer body */
  text: string;
}

export class DeliveryRefusedError extends Error {
  readonly code = 'ERR_DELIVERY_REFUSED';
}

export class DeliveryTimeoutError extends Error {
  readonly code = 'ERR_DELIVERY_TIMEOUT';
}

/** POSTs `body` to `url`; rejects with DeliveryRefusedError when the policy refuses the target. */
export function postJson(url: string, opts: PostOptions): Promise<PostResult> {
  // The saved value was checked when saved; checked again in case the policy or data changed.
  const problem = notifyUrlProblem(url, { allowPrivate: opts.allowPrivate });
  if (problem) return Promise.reject(new DeliveryRefusedError(`notify_url ${problem}`));
  const target = new URL(url);
  const ip = literalIp(target.hostname);
  // A literal address is never looked up (the socket connects to it directly): check it here.
  if (ip && !opts.allowPrivate && !isPublicAddress(ip)) {
    return Promise.reject(new DeliveryRefusedError(`notify_url address ${ip} is not public`));
  }
  const client = target.protocol === 'https:' ? https : http;
  const limit = opts.maxResponseBytes ?? 4096;
  return new Promise<PostResult>((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: { ...opts.headers, 'content-length': String(Buffer.byteLength(opts.body)) },
        lookup: opts.allowPrivate ? undefined : publicOnlyLookup(opts.resolve),
        agent: false, // a fresh connection each time: no pooled socket to an earlier address
        timeout: opts.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < limit) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, limit) }));
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => req.destroy(new DeliveryTimeoutError(`receiver did not answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(new DeliveryTimeoutError(`receiver did not answer within ${opts.timeoutMs} ms`)));
    req.on('error', (err) => {
      clearTimeout(timer);
      const cause = err instanceof PrivateAddressError || (err as { cause?: unknown }).cause instanceof PrivateAddressError;
      reject(cause ? new DeliveryRefusedError(`notify_url refused: ${err.message}`) : err);
    });
    req.end(opts.body);
  });
}
