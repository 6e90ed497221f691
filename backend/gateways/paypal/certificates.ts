// PayPal's signing certificates, fetched from the transmission's `paypal-cert-url` and cached.
// The URL is checked against the allowed prefixes before any request; the download refuses
// redirects, is time-boxed and size-capped; the certificate's dates and subject are checked on
// every use. Good certificates are cached (a new PayPal certificate gets a new URL); a URL whose
// download or first check failed answers that same failure for a short while, so a failing host
// is not asked again on every delivery.
// The issuer chain is not re-verified: the file comes over https from an allowed PayPal host.
import { X509Certificate } from 'node:crypto';
import { GatewayError } from '../errors.js';

/** Why a transmission does not verify (rendered 401 invalid_signature). */
export class VerificationError extends GatewayError {
  constructor(message: string) {
    super('invalid_signature', 'invalid_signature', message);
  }
}

export interface CertificateStoreOptions {
  /** allowed URL prefixes (config PAYPAL_CERT_URL_PREFIXES) */
  prefixes: string[];
  timeoutMs?: number;
  maxBytes?: number;
  maxEntries?: number;
  /** how long a failed download or check of a URL is answered from memory */
  failureTtlMs?: number;
  /** wall clock in ms (tests move it) */
  clock?: () => number;
}

export interface CertificateStore {
  /** The certificate at `url`, valid at `at`; throws VerificationError on any problem. */
  get(url: string, at: Date): Promise<X509Certificate>;
}

/** True when `url`, once normalised (dot segments, case of the host), starts with an allowed prefix. */
export function isAllowedCertUrl(url: string, prefixes: string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password || parsed.search || parsed.hash) return false;
  return prefixes.some((p) => {
    const prefix = new URL(p);
    return prefix.pathname.endsWith('/') && parsed.origin === prefix.origin && parsed.pathname.startsWith(prefix.pathname);
  });
}

/** PayPal signs with messageverificationcerts.paypal.com (live) or …sandbox.paypal.com. */
export function isPaypalSubject(subject: string): boolean {
  const cn = subject
    .split('\n')
    .filter((line) => line.startsWith('CN='))
    .map((line) => line.slice(3));
  return cn.length === 1 && /^messageverificationcerts(\.[a-z0-9-]+)*\.paypal\.com$/i.test(cn[0]);
}

function checkCertificate(cert: X509Certificate, at: Date): void {
  const t = at.getTime();
  if (t < Date.parse(cert.validFrom) || t > Date.parse(cert.validTo)) {
    throw new VerificationError('the PayPal certificate is expired or not yet valid');
  }
  if (!isPaypalSubject(cert.subject)) throw new VerificationError('the certificate is not a PayPal message-verification certificate');
}

async function download(url: string, timeoutMs: number, maxBytes: number): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    throw new VerificationError('the PayPal certificate could not be downloaded');
  }
  if (res.status !== 200 || !res.body) {
    await res.body?.cancel();
    throw new VerificationError(`the PayPal certificate download answered ${res.status} (redirects are not followed)`);
  }
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await res.body.cancel();
    throw new VerificationError('the PayPal certificate is too large');
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new VerificationError('the PayPal certificate is too large');
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof VerificationError) throw err;
    throw new VerificationError('the PayPal certificate could not be downloaded');
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createCertificateStore(opts: CertificateStoreOptions): CertificateStore {
  const { prefixes, timeoutMs = 5_000, maxBytes = 64 * 1024, maxEntries = 32, failureTtlMs = 60_000, clock = Date.now } = opts;
  // Map keeps insertion order: re-inserting on use makes the first key the least recently used.
  const cache = new Map<string, X509Certificate>();
  const failures = new Map<string, { error: VerificationError; until: number }>();

  const fetchAndCheck = async (url: string, at: Date): Promise<X509Certificate> => {
    const pem = await download(url, timeoutMs, maxBytes);
    let cert: X509Certificate;
    try {
      // The file holds the leaf first, then its chain; the leaf carries the signing key.
      cert = new X509Certificate(pem);
    } catch {
      throw new VerificationError('the PayPal certificate could not be parsed');
    }
    checkCertificate(cert, at);
    return cert;
  };

  return {
    async get(url, at) {
      if (!isAllowedCertUrl(url, prefixes)) throw new VerificationError('the certificate URL is not an allowed PayPal URL');
      let cert = cache.get(url);
      if (cert) {
        cache.delete(url);
        checkCertificate(cert, at);
      } else {
        const failed = failures.get(url);
        if (failed && failed.until > clock()) throw failed.error;
        failures.delete(url);
        try {
          cert = await fetchAndCheck(url, at);
        } catch (err) {
          if (err instanceof VerificationError) {
            failures.set(url, { error: err, until: clock() + failureTtlMs });
            if (failures.size > maxEntries) failures.delete(failures.keys().next().value!);
          }
          throw err;
        }
      }
      cache.set(url, cert);
      if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
      return cert;
    },
  };
}
