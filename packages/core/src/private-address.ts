// Address classification for SSRF protection (CONTRACT §6). Parsing goes through the WHATWG
// URL host parser on purpose: it is the parser got/fetch use, so shorthand forms such as
// 2130706433, 0x7f000001 or 127.1 are read here exactly as the HTTP client would read them.

/** An IP address in numeric form. */
export type IpAddress =
  | { version: 4; octets: readonly [number, number, number, number] }
  | { version: 6; words: readonly number[] };

/** Why an address is not a public destination. */
export type NonPublicAddressKind =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'carrier-grade NAT'
  | 'multicast'
  | 'cloud metadata'
  | 'reserved'
  | 'invalid';

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV4_CANDIDATE = /^[0-9a-fA-FxX.]+$/;
const IPV6_CANDIDATE = /^[0-9a-fA-F:.]+$/;

function hostOf(candidate: string): string | null {
  try {
    return new URL(`http://${candidate}/`).hostname;
  } catch {
    return null;
  }
}

function expandIpv6(canonical: string): number[] | null {
  const halves = canonical.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const words = [...head, ...Array<string>(missing).fill('0'), ...tail].map((w) =>
    Number.parseInt(w, 16),
  );
  return words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : null;
}

/**
 * Parses an IPv4 or IPv6 literal (IPv6 optionally in brackets, with or without a zone id),
 * accepting every numeric IPv4 spelling the WHATWG URL parser accepts; null if it is not an IP.
 */
export function parseIpAddress(input: string): IpAddress | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > 100) return null;
  let text = input;
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  if (text.includes(':')) {
    // Zone ids (fe80::1%eth0) only scope a link-local address; the address decides.
    const zone = text.indexOf('%');
    if (zone !== -1) text = text.slice(0, zone);
    if (!IPV6_CANDIDATE.test(text)) return null;
    const host = hostOf(`[${text}]`);
    if (host === null) return null;
    const words = expandIpv6(host.slice(1, -1));
    return words ? { version: 6, words } : null;
  }
  if (!IPV4_CANDIDATE.test(text)) return null;
  const host = hostOf(text);
  const match = host === null ? null : DOTTED_QUAD.exec(host);
  if (!match) return null;
  const octets = [match[1], match[2], match[3], match[4]].map(Number) as [
    number,
    number,
    number,
    number,
  ];
  return { version: 4, octets };
}

// Order matters: the first matching block names the kind (metadata before link-local).
const IPV4_BLOCKS: readonly (readonly [string, number, NonPublicAddressKind])[] = [
  ['0.0.0.0', 32, 'unspecified'],
  ['0.0.0.0', 8, 'reserved'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.169.254', 32, 'cloud metadata'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

function ipv4Number(octets: readonly number[]): number {
  return octets.reduce((acc, octet) => acc * 256 + octet, 0);
}

const IPV4_RANGES = IPV4_BLOCKS.map(([base, bits, kind]) => {
  const size = 2 ** (32 - bits);
  const start = ipv4Number(base.split('.').map(Number));
  return { start, end: start + size - 1, kind };
});

function ipv4Kind(octets: readonly number[]): NonPublicAddressKind | null {
  const value = ipv4Number(octets);
  return IPV4_RANGES.find((r) => value >= r.start && value <= r.end)?.kind ?? null;
}

function embeddedIpv4(high: number, low: number): [number, number, number, number] {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff];
}

function ipv6Kind(w: readonly number[]): NonPublicAddressKind | null {
  const word = (i: number): number => w[i] ?? 0;
  const zerosUntil = (end: number): boolean => w.slice(0, end).every((x) => x === 0);
  if (zerosUntil(8)) return 'unspecified';
  if (zerosUntil(7) && word(7) === 1) return 'loopback';
  // Addresses that carry an IPv4 address reach (or are translated to) that IPv4 address.
  if (zerosUntil(5) && word(5) === 0xffff) return ipv4Kind(embeddedIpv4(word(6), word(7)));
  if (word(0) === 0x64 && word(1) === 0xff9b && w.slice(2, 6).every((x) => x === 0)) {
    return ipv4Kind(embeddedIpv4(word(6), word(7)));
  }
  if (word(0) === 0x2002) return ipv4Kind(embeddedIpv4(word(1), word(2)));
  if (word(0) === 0xfd00 && word(1) === 0x0ec2 && w.slice(2, 7).every((x) => x === 0)) {
    if (word(7) === 0x254) return 'cloud metadata';
  }
  if ((word(0) & 0xfe00) === 0xfc00) return 'private';
  if ((word(0) & 0xffc0) === 0xfe80) return 'link-local';
  if ((word(0) & 0xff00) === 0xff00) return 'multicast';
  // Only 2000::/3 holds global unicast; inside it, a few IANA special-purpose blocks do not.
  if ((word(0) & 0xe000) !== 0x2000) return 'reserved';
  if (word(0) === 0x2001 && word(1) < 0x0200) return 'reserved';
  if (word(0) === 0x2001 && word(1) === 0x0db8) return 'reserved';
  if (word(0) === 0x3fff && word(1) < 0x1000) return 'reserved';
  return null;
}

/**
 * Why `ip` must not be a webhook destination, or null when it is a public address. Anything
 * that does not parse as an IP address is reported as 'invalid' (fail closed).
 */
export function nonPublicAddressKind(ip: string): NonPublicAddressKind | null {
  const parsed = parseIpAddress(ip);
  if (parsed === null) return 'invalid';
  return parsed.version === 4 ? ipv4Kind(parsed.octets) : ipv6Kind(parsed.words);
}

/**
 * True unless `ip` is a public unicast address: private, loopback, link-local, CGNAT,
 * multicast, unspecified, metadata, reserved and unparseable input are all "private" here.
 */
export function isPrivateAddress(ip: string): boolean {
  return nonPublicAddressKind(ip) !== null;
}
