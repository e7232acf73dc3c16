import type { LookupAddress, LookupOneOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import type { AllowedDestinations } from '@notifykit/core';
import { nonPublicAddressKind, parseIpAddress, validateWebhookTarget } from '@notifykit/core';

/** The operator's destination rules (CONTRACT §6). */
export interface DestinationPolicy {
  allowHttp: boolean;
  /** Every private, loopback, link-local, CGNAT, multicast and metadata address is allowed. */
  allowPrivate: boolean;
  allowed: AllowedDestinations;
}

/** Resolves a host name to every address it has (the default uses the system resolver). */
export type HostResolver = (hostname: string) => Promise<LookupAddress[]>;

/** Outcome of {@link checkDestination}. */
export type DestinationCheck =
  | { ok: true; url: URL; addresses: LookupAddress[] }
  | { ok: false; kind: 'blocked' | 'network'; message: string };

/** The system resolver, all addresses, in the order the system prefers. */
export const systemResolver: HostResolver = (hostname) =>
  dnsLookup(hostname, { all: true, order: 'verbatim' });

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function describeRefusal(host: string, address: string, literal: boolean): string {
  const kind = nonPublicAddressKind(address) ?? 'non-public';
  const what = `${article(kind)} ${kind} address`;
  return literal
    ? `${host} is ${what}, which is not allowed`
    : `${host} resolves to ${address}, ${what}, which is not allowed`;
}

function dnsFailure(host: string, error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOTFOUND' || code === 'ENODATA') return `host name ${host} was not found`;
  return `DNS lookup of ${host} failed (${typeof code === 'string' ? code : 'unknown error'})`;
}

/**
 * Decides whether a webhook may be sent to `rawUrl` and, if so, to which addresses. Checked
 * after DNS resolution, so a public name pointing at an internal address is refused too; the
 * caller must connect only to the returned addresses (see {@link pinnedLookup}).
 */
export async function checkDestination(
  rawUrl: string,
  policy: DestinationPolicy,
  resolve: HostResolver = systemResolver,
): Promise<DestinationCheck> {
  // Address rules are applied below, after resolution and with the allow-list in view.
  const target = validateWebhookTarget(rawUrl, { allowHttp: policy.allowHttp, allowPrivate: true });
  if (!target.ok) return { ok: false, kind: 'blocked', message: target.error };
  const url = target.url;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = parseIpAddress(host);

  let addresses: LookupAddress[];
  if (literal !== null) {
    addresses = [{ address: host, family: literal.version }];
  } else {
    try {
      addresses = await resolve(host);
    } catch (error) {
      return { ok: false, kind: 'network', message: dnsFailure(host, error) };
    }
    if (addresses.length === 0) {
      return { ok: false, kind: 'network', message: `host name ${host} has no addresses` };
    }
  }
  if (policy.allowPrivate || policy.allowed.allowsHost(host)) return { ok: true, url, addresses };

  const usable = addresses.filter(
    ({ address }) =>
      nonPublicAddressKind(address) === null || policy.allowed.allowsAddress(address),
  );
  const refused = addresses.find((candidate) => !usable.includes(candidate));
  if (usable.length === 0 && refused) {
    return {
      ok: false,
      kind: 'blocked',
      message: describeRefusal(host, refused.address, literal !== null),
    };
  }
  return { ok: true, url, addresses: usable };
}

/**
 * A `lookup` for the HTTP client that answers with the checked addresses only, so the
 * connection goes exactly where the guard looked and no second DNS answer can redirect it.
 */
export function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const family = (options as LookupOneOptions).family;
    const wanted =
      family === 4 || family === 6 || family === 'IPv4' || family === 'IPv6'
        ? addresses.filter(
            (a) => a.family === (family === 'IPv4' ? 4 : family === 'IPv6' ? 6 : family),
          )
        : [...addresses];
    const first = wanted[0];
    if (!first) {
      const error = Object.assign(new Error(`no checked address for ${hostname}`), {
        code: 'ENOTFOUND',
      });
      callback(error, '', 0);
      return;
    }
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, wanted);
    } else {
      callback(null, first.address, first.family);
    }
  };
}
