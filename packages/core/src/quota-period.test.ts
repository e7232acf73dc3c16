import { describe, expect, it } from 'vitest';
import { monthlyQuotaPeriod, quotaExceededMessage } from './quota-period.ts';

describe('monthlyQuotaPeriod', () => {
  it('spans the UTC calendar month', () => {
    expect(monthlyQuotaPeriod(new Date('2026-01-09T12:34:56.789Z'))).toEqual({
      key: '2026-01',
      startsAt: new Date('2026-01-01T00:00:00.000Z'),
      resetsAt: new Date('2026-02-01T00:00:00.000Z'),
    });
  });

  it('rolls the year over in December', () => {
    const period = monthlyQuotaPeriod(new Date('2025-12-31T23:59:59.999Z'));
    expect(period.key).toBe('2025-12');
    expect(period.resetsAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('uses UTC, not the local zone, at month boundaries', () => {
    expect(monthlyQuotaPeriod(new Date('2026-03-01T00:00:00.000Z')).key).toBe('2026-03');
    expect(monthlyQuotaPeriod(new Date('2026-02-28T23:59:59.999Z')).key).toBe('2026-02');
    expect(monthlyQuotaPeriod(new Date('2028-02-29T10:00:00.000Z')).resetsAt.toISOString()).toBe(
      '2028-03-01T00:00:00.000Z',
    );
  });

  it('defaults to now', () => {
    const period = monthlyQuotaPeriod();
    expect(period.startsAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(period.resetsAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('refuses an invalid date', () => {
    expect(() => monthlyQuotaPeriod(new Date('nope'))).toThrow(RangeError);
  });
});

describe('quotaExceededMessage', () => {
  it('is the contract sentence', () => {
    expect(quotaExceededMessage(100, 100, new Date('2026-02-01T00:00:00.000Z'))).toBe(
      'Monthly quota exceeded (100/100). Resets at 2026-02-01T00:00:00.000Z.',
    );
  });
});
