import { describe, expect, it } from 'vitest';
import { parseAllowedDestinations } from './allowed-destinations.ts';

describe('parseAllowedDestinations', () => {
  const allowed = parseAllowedDestinations(
    ' hooks.internal, *.svc.cluster.local ,10.1.0.0/16, 192.168.5.7, fd00::/8, [::1] ',
  );

  it('matches exact names and wildcard subdomains, ignoring case and a trailing dot', () => {
    expect(allowed.allowsHost('hooks.internal')).toBe(true);
    expect(allowed.allowsHost('HOOKS.Internal.')).toBe(true);
    expect(allowed.allowsHost('api.svc.cluster.local')).toBe(true);
    expect(allowed.allowsHost('svc.cluster.local')).toBe(false);
    expect(allowed.allowsHost('evilhooks.internal')).toBe(false);
    expect(allowed.allowsHost('hooks.internal.evil.com')).toBe(false);
  });

  it('matches addresses inside ranges and single addresses', () => {
    expect(allowed.allowsAddress('10.1.255.254')).toBe(true);
    expect(allowed.allowsAddress('10.2.0.1')).toBe(false);
    expect(allowed.allowsAddress('192.168.5.7')).toBe(true);
    expect(allowed.allowsAddress('192.168.5.8')).toBe(false);
    expect(allowed.allowsAddress('fd12:3456::1')).toBe(true);
    expect(allowed.allowsAddress('fe80::1')).toBe(false);
    expect(allowed.allowsAddress('::1')).toBe(true);
    expect(allowed.allowsAddress('not-an-ip')).toBe(false);
    expect(allowed.isEmpty).toBe(false);
  });

  it('is empty for an empty list', () => {
    const none = parseAllowedDestinations(' , ');
    expect(none.isEmpty).toBe(true);
    expect(none.allowsHost('localhost')).toBe(false);
    expect(none.allowsAddress('127.0.0.1')).toBe(false);
  });

  it('names the entry it cannot read', () => {
    expect(() => parseAllowedDestinations('10.0.0.0/33')).toThrow(
      '"10.0.0.0/33" is not a host name, IP address or CIDR range (such as 10.0.0.0/8)',
    );
    expect(() => parseAllowedDestinations('ok.example, http://x')).toThrow('"http://x"');
  });
});
