import { createCertificateStore, isAllowedCertUrl, isPaypalSubject, VerificationError } from '../../../../backend/gateways/paypal/certificates.js';
import { startCertServer, type CertServer } from '../../../support/paypal/cert-server.js';

let certs: CertServer;
beforeAll(async () => {
  certs = await startCertServer();
});
afterAll(() => certs.close());

const now = new Date('2026-04-02T10:00:00Z');

describe('certificate URL prefixes', () => {
  const live = ['https://api.paypal.com/v1/notifications/certs/', 'https://api.sandbox.paypal.com/v1/notifications/certs/'];
  it.each([
    'https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77',
    'https://api.sandbox.paypal.com/v1/notifications/certs/CERT-1',
    'https://API.PAYPAL.COM/v1/notifications/certs/CERT-1',
  ])('allows %s', (url) => expect(isAllowedCertUrl(url, live)).toBe(true));

  it.each([
    'http://api.paypal.com/v1/notifications/certs/CERT-1',
    'https://api.paypal.com.evil.example/v1/notifications/certs/CERT-1',
    'https://evil.example/api.paypal.com/v1/notifications/certs/CERT-1',
    'https://evilpaypal.com/v1/notifications/certs/CERT-1',
    'https://api.paypal.com:8443/v1/notifications/certs/CERT-1',
    'https://api.paypal.com/v1/notifications/certs/../../../evil',
    'https://api.paypal.com/v1/notifications/certs/%2e%2e/%2e%2e/evil',
    'https://user@api.paypal.com/v1/notifications/certs/CERT-1',
    'https://api.paypal.com/v1/notifications/certs/CERT-1?x=https://evil.example',
    'https://api.paypal.com/v1/notifications/other/CERT-1',
    'not a url',
  ])('refuses %s', (url) => expect(isAllowedCertUrl(url, live)).toBe(false));
});

describe('certificate subject', () => {
  it.each([
    ['CN=messageverificationcerts.paypal.com\nO=PayPal, Inc.', true],
    ['CN=messageverificationcerts.sandbox.paypal.com', true],
    ['CN=messageverificationcerts.paypal.com.evil.example', false],
    ['CN=messageverificationcertsevilpaypal.com', false],
    ['CN=www.paypal.com', false],
    ['O=messageverificationcerts.paypal.com', false],
  ])('%j -> %s', (subject, ok) => expect(isPaypalSubject(subject)).toBe(ok));
});

describe('certificate store', () => {
  const store = (o: Partial<Parameters<typeof createCertificateStore>[0]> = {}) =>
    createCertificateStore({ prefixes: [certs.prefix], ...o });

  it('downloads once and then serves from the cache', async () => {
    const s = store();
    const before = certs.requests.length;
    const a = await s.get(certs.certUrl(), now);
    const b = await s.get(certs.certUrl(), now);
    expect(a.subject).toContain('CN=messageverificationcerts.sandbox.paypal.com');
    expect(b).toBe(a);
    expect(certs.requests.length - before).toBe(1);
  });

  it('keeps at most maxEntries certificates, dropping the least recently used', async () => {
    const s = store({ maxEntries: 1 });
    const before = certs.requests.length;
    await s.get(certs.certUrl(), now);
    await s.get(`${certs.certUrl()}`.replace('cert.pem', 'wrong-subject-cert.pem'), now).catch(() => {});
    await s.get(certs.certUrl(), now); // still cached: the wrong-subject one only as a failure
    expect(certs.requests.length - before).toBe(2);
  });

  it.each([
    ['a redirect', 'redirect.pem', /302/],
    ['an oversized body', 'huge.pem', /too large/],
    ['a missing file', 'nope.pem', /404/],
    ['something not a certificate', 'garbage.pem', /parsed/],
    ['an expired certificate', 'expired-cert.pem', /expired/],
    ['a certificate with the wrong subject', 'wrong-subject-cert.pem', /not a PayPal/],
  ])('refuses %s, answers the failure from memory for 60 s, then asks again', async (_, name, message) => {
    let t = Date.parse('2026-04-02T10:00:00Z');
    const s = store({ clock: () => t });
    const before = certs.requests.length;
    await expect(s.get(certs.certUrl(name), now)).rejects.toThrow(message);
    // Within the minute: the same refusal, no request to the failing host.
    t += 59_000;
    for (let i = 0; i < 5; i++) await expect(s.get(certs.certUrl(name), now)).rejects.toThrow(message);
    expect(certs.requests.length - before).toBe(1);
    t += 1_000;
    await expect(s.get(certs.certUrl(name), now)).rejects.toBeInstanceOf(VerificationError);
    expect(certs.requests.length - before).toBe(2);
    // A failure of one URL does not touch another.
    await s.get(certs.certUrl(), now);
    expect(certs.requests.length - before).toBe(3);
  });

  it('follows no redirect: the target is never requested', async () => {
    const s = store();
    const before = certs.requests.length;
    await expect(s.get(certs.certUrl('redirect.pem'), now)).rejects.toThrow(VerificationError);
    expect(certs.requests.slice(before)).toEqual(['/v1/notifications/certs/redirect.pem']);
  });

  it('gives up on a slow host after the timeout', async () => {
    const s = store({ timeoutMs: 200 });
    const started = Date.now();
    await expect(s.get(certs.certUrl('slow.pem'), now)).rejects.toThrow(/could not be downloaded/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('makes no request for a URL outside the prefixes', async () => {
    const s = store();
    const before = certs.requests.length;
    await expect(s.get(`${certs.origin}/elsewhere/cert.pem`, now)).rejects.toThrow(/not an allowed/);
    expect(certs.requests.length).toBe(before);
  });

  it('checks validity dates at each use, also for a cached certificate', async () => {
    const s = store();
    await s.get(certs.certUrl(), now);
    await expect(s.get(certs.certUrl(), new Date('2100-01-01T00:00:00Z'))).rejects.toThrow(/expired/);
    await expect(s.get(certs.certUrl(), new Date('2019-06-01T00:00:00Z'))).rejects.toThrow(/not yet valid/);
  });
});
