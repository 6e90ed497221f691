// Short-lived export links: an HMAC-SHA256-signed token that binds account, mode, kind and the
// list's filters, valid for EXPORT_LINK_TTL_MS. The key is derived (HKDF) from STRIPE_APP_SECRET,
// so the secret itself never signs anything but app requests; every configured secret is tried on
// verification, so a rotation does not break the links of the last minutes. Hand-written on
// node:crypto because a JWT library would add alg negotiation and parsing this does not need.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { ExportKind } from '../domain/exports.js';

export const EXPORT_LINK_TTL_MS = 10 * 60 * 1000;

export interface ExportClaims {
  accountId: string;
  livemode: boolean;
  kind: ExportKind;
  /** the filters as the app sent them (query-string values), parsed again by the list's schema */
  filters: Record<string, string>;
  expiresAt: Date;
}

const keyOf = (secret: string) =>
  Buffer.from(hkdfSync('sha256', secret, 'tenant-billing', 'export-link v1', 32));

const mac = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest();

export function signExportLink(secrets: string[], claims: ExportClaims): string {
  const body = Buffer.from(
    JSON.stringify({
      a: claims.accountId,
      m: claims.livemode,
      k: claims.kind,
      f: claims.filters,
      e: Math.floor(claims.expiresAt.getTime() / 1000),
    }),
  ).toString('base64url');
  return `${body}.${mac(keyOf(secrets[0]), body).toString('base64url')}`;
}

export type VerifiedLink = { ok: true; claims: ExportClaims } | { ok: false; reason: 'invalid' | 'expired' };

/** Signature first: a link whose expiry was edited is invalid, not expired. */
export function verifyExportLink(secrets: string[], token: string, now: Date): VerifiedLink {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined || !/^[\w-]+$/.test(body) || !/^[\w-]+$/.test(signature)) {
    return { ok: false, reason: 'invalid' };
  }
  const given = Buffer.from(signature, 'base64url');
  const valid = secrets.some((s) => {
    const expected = mac(keyOf(s), body);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!valid) return { ok: false, reason: 'invalid' };
  let c: { a: unknown; m: unknown; k: unknown; f: unknown; e: unknown };
  try {
    c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (typeof c.a !== 'string' || typeof c.m !== 'boolean' || typeof c.k !== 'string' || typeof c.e !== 'number') {
    return { ok: false, reason: 'invalid' };
  }
  if (c.e * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    claims: {
      accountId: c.a,
      livemode: c.m,
      kind: c.k as ExportKind,
      filters: (c.f ?? {}) as Record<string, string>,
      expiresAt: new Date(c.e * 1000),
    },
  };
}
