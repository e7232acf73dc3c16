import { describe, expect, it } from 'vitest';
import { isPrivateAddress, nonPublicAddressKind, parseIpAddress } from './private-address.ts';

describe('parseIpAddress', () => {
  it('reads dotted quads', () => {
    expect(parseIpAddress('8.8.4.4')).toEqual({ version: 4, octets: [8, 8, 4, 4] });
  });

  it.each([
    ['2130706433', [127, 0, 0, 1]],
    ['0x7f000001', [127, 0, 0, 1]],
    ['0X7F000001', [127, 0, 0, 1]],
    ['127.1', [127, 0, 0, 1]],
    ['127.0.1', [127, 0, 0, 1]],
    ['0177.0.0.1', [127, 0, 0, 1]],
    ['0x7f.0.0.1', [127, 0, 0, 1]],
    ['0', [0, 0, 0, 0]],
    ['0x', [0, 0, 0, 0]],
    ['3232235521', [192, 168, 0, 1]],
  ])('normalises the numeric form %s like a URL parser', (input, octets) => {
    expect(parseIpAddress(input)).toEqual({ version: 4, octets });
  });

  it('reads IPv6 in any spelling, bracketed or with a zone id', () => {
    const loopback = { version: 6, words: [0, 0, 0, 0, 0, 0, 0, 1] };
    expect(parseIpAddress('::1')).toEqual(loopback);
    expect(parseIpAddress('[::1]')).toEqual(loopback);
    expect(parseIpAddress('0:0:0:0:0:0:0:1')).toEqual(loopback);
    expect(parseIpAddress('fe80::1%eth0')).toEqual({
      version: 6,
      words: [0xfe80, 0, 0, 0, 0, 0, 0, 1],
    });
    expect(parseIpAddress('::ffff:127.0.0.1')).toEqual({
      version: 6,
      words: [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1],
    });
    expect(parseIpAddress('2001:DB8::8:800:200C:417A')).toEqual({
      version: 6,
      words: [0x2001, 0xdb8, 0, 0, 0x8, 0x800, 0x200c, 0x417a],
    });
  });

  it.each([
    '',
    'example.com',
    'localhost',
    '256.0.0.1',
    '1.2.3.4.5',
    '1.2.3.-4',
    ' 1.2.3.4',
    '1.2.3.4/24',
    '1.2.3.4:80',
    '::1::1',
    '1:2:3:4:5:6:7:8:9',
    'gggg::1',
    '[::1',
    'x'.repeat(200),
  ])('returns null for %j', (input) => {
    expect(parseIpAddress(input)).toBeNull();
  });
});

describe('isPrivateAddress / nonPublicAddressKind', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'reserved'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['100.100.100.200', 'carrier-grade NAT'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.0.1', 'link-local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['2130706433', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['127.1', 'loopback'],
    ['0xa9fea9fe', 'cloud metadata'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    ['::127.0.0.1', 'reserved'],
    ['::8.8.8.8', 'reserved'],
    ['64:ff9b:1::1', 'reserved'],
    ['100::1', 'reserved'],
    ['2001::1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['3fff::1', 'reserved'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['fd00:ec2::253', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%en0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'reserved'],
    ['ff02::1', 'multicast'],
    ['4000::1', 'reserved'],
    ['not-an-ip', 'invalid'],
    ['', 'invalid'],
  ])('%s is %s', (ip, kind) => {
    expect(nonPublicAddressKind(ip)).toBe(kind);
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '126.255.255.255',
    '128.0.0.0',
    '169.253.255.255',
    '169.255.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.0.1.1',
    '192.167.255.255',
    '192.169.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    '134744072',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
    '2001:4860:4860::8888',
    '2606:4700:4700::1111',
    '2001:200::1',
    '2a00:1450:4001:80b::200e',
  ])('%s is public', (ip) => {
    expect(nonPublicAddressKind(ip)).toBeNull();
    expect(isPrivateAddress(ip)).toBe(false);
  });
});
