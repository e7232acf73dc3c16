import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.ts';

const now = new Date('2026-01-09T12:00:00.000Z');
const HOUR = 3_600_000;

describe('parseRetryAfter: delay-seconds', () => {
  it.each([
    ['0', 0],
    ['1', 1000],
    ['120', 120_000],
    ['007', 7000],
    [' 30 ', 30_000],
  ])('%j → %d ms', (value, ms) => {
    expect(parseRetryAfter(value, now, HOUR)).toBe(ms);
  });

  it('caps at capMs', () => {
    expect(parseRetryAfter('3600', now, HOUR)).toBe(HOUR);
    expect(parseRetryAfter('3601', now, HOUR)).toBe(HOUR);
    expect(parseRetryAfter('99999999999999999999999', now, HOUR)).toBe(HOUR);
    expect(parseRetryAfter('10', now, 5000)).toBe(5000);
    expect(parseRetryAfter('10', now, 0)).toBe(0);
  });
});

describe('parseRetryAfter: HTTP-date', () => {
  it('reads an IMF-fixdate in the future', () => {
    expect(parseRetryAfter('Fri, 09 Jan 2026 12:02:00 GMT', now, HOUR)).toBe(120_000);
    expect(parseRetryAfter('Fri, 09 Jan 2026 12:00:01 GMT', now, HOUR)).toBe(1000);
  });

  it('treats a date in the past, or now, as 0', () => {
    expect(parseRetryAfter('Fri, 09 Jan 2026 12:00:00 GMT', now, HOUR)).toBe(0);
    expect(parseRetryAfter('Thu, 08 Jan 2026 12:00:00 GMT', now, HOUR)).toBe(0);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now, HOUR)).toBe(0);
  });

  it('caps a far-future date', () => {
    expect(parseRetryAfter('Sat, 10 Jan 2026 12:00:00 GMT', now, HOUR)).toBe(HOUR);
  });

  it('accepts the obsolete RFC 850 and asctime forms, as RFC 9110 requires', () => {
    expect(parseRetryAfter('Friday, 09-Jan-26 12:02:00 GMT', now, HOUR)).toBe(120_000);
    expect(parseRetryAfter('Fri Jan  9 12:02:00 2026', now, HOUR)).toBe(120_000);
    expect(parseRetryAfter('Fri Jan 09 12:02:00 2026', now, HOUR)).toBe(120_000);
  });

  it('reads a two-digit RFC 850 year as at most 50 years ahead', () => {
    // 94 would be 2094, more than 50 years ahead: it means 1994, so it is in the past.
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', now, HOUR)).toBe(0);
  });

  it('accepts a leap second', () => {
    expect(parseRetryAfter('Fri, 09 Jan 2026 12:00:60 GMT', now, HOUR)).toBe(60_000);
  });

  it.each([
    'Fri, 09 Jan 2026 12:02:00 UTC',
    'Fri, 09 Jan 2026 12:02:00',
    'Fri, 9 Jan 2026 12:02:00 GMT',
    'fri, 09 jan 2026 12:02:00 GMT',
    'Friday, 09 Jan 2026 12:02:00 GMT',
    'Thu, 09 Jan 2026 12:02:00 GMT',
    'Mon, 30 Feb 2026 12:02:00 GMT',
    'Fri, 09 Jan 2026 24:00:00 GMT',
    'Fri, 09 Jan 2026 12:60:00 GMT',
    'Fri, 09 Jan 2026 12:02:61 GMT',
    'Fri, 09 Foo 2026 12:02:00 GMT',
    '2026-01-09T12:02:00Z',
    'Fri,  09 Jan 2026 12:02:00 GMT',
  ])('rejects the malformed date %j', (value) => {
    expect(parseRetryAfter(value, now, HOUR)).toBeNull();
  });
});

describe('parseRetryAfter: garbage', () => {
  it.each([
    null,
    undefined,
    '',
    '   ',
    '-1',
    '-0',
    '+5',
    '1.5',
    '1e3',
    '0x10',
    '10s',
    '10, 20',
    'soon',
    'NaN',
    'Infinity',
  ])('returns null for %j', (value) => {
    expect(parseRetryAfter(value, now, HOUR)).toBeNull();
  });

  it('refuses a nonsensical cap or clock', () => {
    expect(() => parseRetryAfter('1', now, -1)).toThrow(RangeError);
    expect(() => parseRetryAfter('1', now, Number.NaN)).toThrow(RangeError);
    expect(() => parseRetryAfter('1', new Date('x'), HOUR)).toThrow(RangeError);
  });
});
