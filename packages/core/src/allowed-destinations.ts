import { parseIpAddress } from './private-address.ts';

/**
 * The operator's exceptions to the SSRF rules (WEBHOOK_ALLOWED_HOSTS): internal destinations
 * a self-hosted install may legitimately call, even though they are private.
 */
export interface AllowedDestinations {
  /** True when webhooks to this host name may reach any address it resolves to. */
  allowsHost(hostname: string): boolean;
  /** True when this resolved (or literal) address is inside an allowed address or range. */
  allowsAddress(address: string): boolean;
  readonly isEmpty: boolean;
}

interface AddressRange {
  version: 4 | 6;
  network: bigint;
  bits: number;
}

// RFC 1123 labels; a leading "*." allows every subdomain (not the name itself).
const HOST_NAME =
  /^(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

function toBigInt(address: string): { version: 4 | 6; value: bigint } | null {
  const parsed = parseIpAddress(address);
  if (parsed === null) return null;
  const parts = parsed.version === 4 ? parsed.octets : parsed.words;
  const width = parsed.version === 4 ? 8n : 16n;
  const value = parts.reduce((acc, part) => (acc << width) | BigInt(part), 0n);
  return { version: parsed.version, value };
}

function maskOf(version: 4 | 6, bits: number): bigint {
  const total = version === 4 ? 32 : 128;
  return ((1n << BigInt(bits)) - 1n) << BigInt(total - bits);
}

function parseRange(entry: string): AddressRange | null {
  const [address = '', prefix, extra] = entry.split('/');
  if (extra !== undefined) return null;
  const ip = toBigInt(address);
  if (ip === null) return null;
  const max = ip.version === 4 ? 32 : 128;
  const bits = prefix === undefined ? max : /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  if (bits < 0 || bits > max) return null;
  return { version: ip.version, network: ip.value & maskOf(ip.version, bits), bits };
}

/**
 * Parses a comma-separated list of host names (`hooks.internal`, `*.svc.cluster.local`), IP
 * addresses and CIDR ranges (`10.1.0.0/16`, `fd00::/8`). Throws a RangeError naming the first
 * entry that is none of these.
 */
export function parseAllowedDestinations(spec: string): AllowedDestinations {
  const exactHosts = new Set<string>();
  const suffixes: string[] = [];
  const ranges: AddressRange[] = [];
  for (const raw of spec.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    const range = parseRange(entry);
    if (range) {
      ranges.push(range);
      continue;
    }
    const name = entry.replace(/\.$/, '');
    if (!HOST_NAME.test(name)) {
      throw new RangeError(
        `"${raw.trim()}" is not a host name, IP address or CIDR range (such as 10.0.0.0/8)`,
      );
    }
    if (name.startsWith('*.')) suffixes.push(name.slice(1));
    else exactHosts.add(name);
  }

  return {
    isEmpty: exactHosts.size + suffixes.length + ranges.length === 0,
    allowsHost(hostname) {
      const name = hostname.toLowerCase().replace(/\.$/, '');
      return exactHosts.has(name) || suffixes.some((suffix) => name.endsWith(suffix));
    },
    allowsAddress(address) {
      const ip = toBigInt(address);
      if (ip === null) return false;
      return ranges.some(
        (range) =>
          range.version === ip.version &&
          (ip.value & maskOf(ip.version, range.bits)) === range.network,
      );
    },
  };
}
