// Outbound requests to addresses an account chose (notify_url) may only reach the public
// internet: loopback, private, link-local (cloud metadata), unique-local, multicast, carrier-grade
// NAT and reserved ranges are refused. The ranges come from ipaddr.js (maintained, covers IPv6
// transition forms); only its plain 'unicast' range counts as public.
import type { LookupAddress, LookupOneOptions, LookupAllOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns';
import ipaddr from 'ipaddr.js';

/** True when `ip` (v4 or v6, IPv4-mapped IPv6 unwrapped) is a public unicast address. */
export function isPublicAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  let addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
  return addr.range() === 'unicast';
}

/** The IP of a URL hostname when it is a literal ("[::1]" unbracketed), else null. */
export function literalIp(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? bare : null;
}

// Names that mean this machine or a local network without any DNS answer (RFC 6761 localhost,
// and single-label names that resolve through search domains, e.g. "metadata").
function localName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || !name.includes('.');
}

export interface AddressPolicy {
  /** NOTIFY_ALLOW_PRIVATE: development and tests may post to loopback/private receivers (http too) */
  allowPrivate: boolean;
}

/**
 * Why `raw` is not an acceptable notify_url, or null when it is. Checks what can be known without
 * DNS (scheme, literal addresses, local names); the resolved address is checked at delivery.
 * The WHATWG parser has already normalised numeric forms: https://2130706433/ is 127.0.0.1.
 */
export function notifyUrlProblem(raw: string, policy: AddressPolicy): string | null {
  if (!URL.canParse(raw)) return 'must be a URL';
  const url = new URL(raw);
  if (url.protocol !== 'https:' && !(policy.allowPrivate && url.protocol === 'http:')) return 'must use https';
  if (url.username || url.password) return 'must not carry credentials';
  if (policy.allowPrivate) return null;
  const ip = literalIp(url.hostname);
  if (ip) return isPublicAddress(ip) ? null : 'must be a public address (loopback, private, link-local and reserved addresses are refused)';
  if (localName(url.hostname)) return 'must be a public host name (localhost and single-label names are refused)';
  return null;
}

/** The dns.lookup signature a socket uses to resolve its host (options.all decides the answer shape). */
export type Resolver = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export class PrivateAddressError extends Error {
  readonly code = 'ERR_PRIVATE_ADDRESS';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request that resolves every address of the host, refuses the connection
 * if any of them is not public, and hands the socket exactly the addresses it checked: the
 * connection is pinned to them, so a DNS answer that changes between check and connect (DNS
 * rebinding) cannot slip a private address in.
 */
export function publicOnlyLookup(resolve: Resolver = dnsLookup as unknown as Resolver) {
  return (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const refused = addresses.find((a) => !isPublicAddress(a.address));
      if (addresses.length === 0 || refused) {
        return callback(
          new PrivateAddressError(`${hostname} resolves to ${refused ? `a non-public address (${refused.address})` : 'no address'}`),
          [],
        );
      }
      if ((options as LookupAllOptions).all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
