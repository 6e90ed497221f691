import type { LookupAddress } from 'node:dns';
import { isPublicAddress, notifyUrlProblem, publicOnlyLookup, type Resolver } from '../../../../backend/gateways/notify/public-address.js';

describe('isPublicAddress', () => {
  it.each(['8.8.8.8', '1.1.1.1', '2606:4700::1111', '2a00:1450:4001:80b::200e'])('%s is public', (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  });
  it.each([
    '127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.0.1', '169.254.169.254', '100.100.100.200', '0.0.0.0',
    '224.0.0.1', '255.255.255.255', '192.0.2.1', '::1', '::', 'fe80::1', 'fd00:ec2::254', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:169.254.169.254', '64:ff9b::a00:1', '2002:a00:1::', 'not-an-ip',
  ])('%s is not public', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });
});

describe('notifyUrlProblem', () => {
  it('explains what is wrong, without DNS', () => {
    expect(notifyUrlProblem('not a url', { allowPrivate: false })).toBe('must be a URL');
    expect(notifyUrlProblem('http://ops.example.com/', { allowPrivate: false })).toBe('must use https');
    expect(notifyUrlProblem('https://u:p@ops.example.com/', { allowPrivate: false })).toBe('must not carry credentials');
    expect(notifyUrlProblem('https://2130706433/', { allowPrivate: false })).toMatch(/public address/);
    expect(notifyUrlProblem('https://metadata/computeMetadata', { allowPrivate: false })).toMatch(/public host name/);
    expect(notifyUrlProblem('https://ops.example.com/hook', { allowPrivate: false })).toBeNull();
    expect(notifyUrlProblem('http://127.0.0.1:9/hook', { allowPrivate: true })).toBeNull();
    expect(notifyUrlProblem('ftp://127.0.0.1/', { allowPrivate: true })).toBe('must use https');
  });
});

describe('publicOnlyLookup', () => {
  const table = (answers: string[][]) => {
    let call = 0;
    const resolve: Resolver = (_host, _opts, cb) =>
      cb(null, (answers[call++] ?? []).map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
    return { resolve, calls: () => call };
  };
  const run = (lookup: ReturnType<typeof publicOnlyLookup>, all: boolean) =>
    new Promise<{ err: Error | null; address: unknown; family?: number }>((resolve) =>
      lookup('hooks.example.com', { all } as never, (err, address, family) => resolve({ err, address, family })),
    );

  it('hands the socket the very addresses it checked, resolving once', async () => {
    // A second answer (the rebinding one) is never asked for.
    const dns = table([['93.184.216.34'], ['127.0.0.1']]);
    const lookup = publicOnlyLookup(dns.resolve);
    expect(await run(lookup, false)).toEqual({ err: null, address: '93.184.216.34', family: 4 });
    expect(dns.calls()).toBe(1);
    const dns2 = table([['93.184.216.34', '2606:2800:220:1::1']]);
    expect((await run(publicOnlyLookup(dns2.resolve), true)).address).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ]);
  });

  it('refuses when any address is not public, or there is none', async () => {
    expect((await run(publicOnlyLookup(table([['93.184.216.34', '10.0.0.7']]).resolve), true)).err?.message).toBe(
      'hooks.example.com resolves to a non-public address (10.0.0.7)',
    );
    expect((await run(publicOnlyLookup(table([[]]).resolve), false)).err?.message).toBe('hooks.example.com resolves to no address');
  });
});
