/**
 * Where a webhook may be sent (SECURITY 19). Only public unicast addresses: never loopback,
 * private, link-local (the cloud metadata service at 169.254.169.254), CGNAT, unique-local,
 * multicast, reserved or unspecified ones, also when written as a number (`2130706433`,
 * `0x7f000001`: the URL parser turns them into the dotted address this checks), when hidden in
 * an IPv4-mapped or NAT64 IPv6 address, or behind a name that resolves to one. A name is checked
 * when the URL is saved and again when connecting: every address it resolves to must pass, and
 * the connection goes to the address that was checked (a pinned lookup), so a DNS answer that
 * changes in between (rebinding) cannot point the request inward. WEBHOOK_ALLOW_PRIVATE_HOSTS
 * lets a self-hoster reach their own receivers (and tests a local one).
 */
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export class WebhookTargetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookTargetRefused';
  }
}

export interface AllowList {
  hosts: Set<string>;
  ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

const systemResolver: Resolver = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

/** WEBHOOK_ALLOW_PRIVATE_HOSTS as names and address ranges (the config has checked each entry). */
export function allowListOf(entries: readonly string[]): AllowList {
  const allow: AllowList = { hosts: new Set(), ranges: [] };
  for (const entry of entries) {
    if (ipaddr.isValidCIDR(entry)) allow.ranges.push(ipaddr.parseCIDR(entry));
    else if (ipaddr.isValid(entry)) {
      const ip = ipaddr.process(entry);
      allow.ranges.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else allow.hosts.add(entry.toLowerCase());
  }
  return allow;
}

const RANGE_WORDS: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private network address',
  linkLocal: 'a link-local address (such as the cloud metadata service)',
  carrierGradeNat: 'a carrier-grade NAT address',
  uniqueLocal: 'a private network address',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
};

/** The URL's host without the brackets of an IPv6 literal. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/** Why an address may not be connected to, as "127.0.0.1 (a loopback address)"; null when it may. */
export function refusedAddress(address: string, allow: AllowList): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  // An IPv4-mapped IPv6 address is the IPv4 address it carries.
  const ip = ipaddr.process(address);
  if (allow.ranges.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits))) return null;
  const kind = ip.range();
  if (kind === 'unicast') return null;
  return `${ip.toString()} (${RANGE_WORDS[kind] ?? 'not a public internet address'})`;
}

/**
 * The addresses a host may be reached at, every one checked; throws WebhookTargetRefused naming
 * the first that is refused (one bad answer refuses the host: a receiver is never half private).
 */
export async function resolveTarget(host: string, allow: AllowList, resolve: Resolver = systemResolver): Promise<ResolvedAddress[]> {
  if (ipaddr.isValid(host)) {
    const refused = refusedAddress(host, allow);
    if (refused) throw new WebhookTargetRefused(`the address ${refused}`);
    const ip = ipaddr.process(host);
    return [{ address: ip.toString(), family: ip.kind() === 'ipv6' ? 6 : 4 }];
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolve(host);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw Object.assign(new Error(code === 'ENOTFOUND' ? `The host name ${host} does not resolve.` : `The host name ${host} could not be resolved (${code ?? 'DNS error'}).`), { code: code ?? 'EDNS' });
  }
  if (!addresses.length) throw Object.assign(new Error(`The host name ${host} does not resolve.`), { code: 'ENOTFOUND' });
  if (allow.hosts.has(host)) return addresses;
  for (const a of addresses) {
    const refused = refusedAddress(a.address, allow);
    if (refused) throw new WebhookTargetRefused(`${host}, which resolves to ${refused}`);
  }
  return addresses;
}

/**
 * A `lookup` for http(s).request that resolves and checks the host and hands the socket only the
 * checked addresses: the request connects where the check looked.
 */
export function pinnedLookup(allow: AllowList, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolveTarget(hostname.toLowerCase(), allow, resolve).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (!wanted.length) return callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 4);
        if (options.all) return (callback as unknown as (err: null, all: ResolvedAddress[]) => void)(null, wanted);
        callback(null, wanted[0].address, wanted[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 4),
    );
  };
}

/** True when the host is one WEBHOOK_ALLOW_PRIVATE_HOSTS names (by name, or as an address in a listed range). */
export function isAllowedPrivate(host: string, allow: AllowList): boolean {
  if (allow.hosts.has(host)) return true;
  if (!ipaddr.isValid(host)) return false;
  const ip = ipaddr.process(host);
  return allow.ranges.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits));
}

export const MAX_WEBHOOK_URL = 2000;

export type WebhookUrlCheck = { ok: true; url: string } | { ok: false; message: string };

/**
 * A webhook URL as it will be stored, or why it cannot be: https (plain http only to a receiver
 * WEBHOOK_ALLOW_PRIVATE_HOSTS names, inside one's own network), no user name or password in it,
 * and a host whose every address is public (resolved now; checked again at each delivery).
 */
export async function checkWebhookUrl(raw: string, allow: AllowList, resolve: Resolver = systemResolver): Promise<WebhookUrlCheck> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, message: 'must be a URL such as https://example.com/rapport-webhook' };
  }
  const host = hostOf(url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, message: 'must be an https:// URL' };
  if (url.protocol === 'http:' && !isAllowedPrivate(host, allow)) return { ok: false, message: 'must be an https:// URL (plain http only for receivers named in WEBHOOK_ALLOW_PRIVATE_HOSTS)' };
  if (url.username || url.password) return { ok: false, message: 'must not contain a user name or password; verify the X-Rapport-Signature header instead' };
  url.hash = '';
  if (url.href.length > MAX_WEBHOOK_URL) return { ok: false, message: `must be at most ${MAX_WEBHOOK_URL} characters` };
  try {
    await resolveTarget(host, allow, resolve);
  } catch (err) {
    if (err instanceof WebhookTargetRefused) return { ok: false, message: `points at ${err.message}: webhooks only go to public internet addresses` };
    const why = (err as Error).message.replace(/\.$/, '');
    return { ok: false, message: `cannot be reached: ${why.charAt(0).toLowerCase()}${why.slice(1)}` };
  }
  return { ok: true, url: url.href };
}
