import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  hasAttemptsLeft,
  nominalRetryDelayMs,
  parseRetryPolicy,
  type RetryPolicy,
  retryDelayMs,
} from './retry-policy.ts';

const ALMOST_ONE = 1 - Number.EPSILON;
const fixed = (value: number) => () => value;

describe('DEFAULT_RETRY_POLICY', () => {
  it('is 3 attempts, 1 min × 4, ±20 %, at most 1 h', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({
      maxAttempts: 3,
      baseDelayMs: 60_000,
      multiplier: 4,
      maxDelayMs: 3_600_000,
      jitterRatio: 0.2,
    });
    expect(Object.isFrozen(DEFAULT_RETRY_POLICY)).toBe(true);
  });
});

describe('retryDelayMs with the default policy', () => {
  const p = DEFAULT_RETRY_POLICY;

  it('waits exactly 1 min then 4 min without jitter (random = 0.5)', () => {
    expect(retryDelayMs(p, 1, fixed(0.5))).toBe(60_000);
    expect(retryDelayMs(p, 2, fixed(0.5))).toBe(240_000);
    expect(retryDelayMs(p, 3, fixed(0.5))).toBe(960_000);
  });

  it('hits the low jitter extreme at random = 0', () => {
    expect(retryDelayMs(p, 1, fixed(0))).toBe(48_000);
    expect(retryDelayMs(p, 2, fixed(0))).toBe(192_000);
  });

  it('approaches the high jitter extreme as random → 1', () => {
    expect(retryDelayMs(p, 1, fixed(ALMOST_ONE))).toBe(72_000);
    expect(retryDelayMs(p, 2, fixed(ALMOST_ONE))).toBe(288_000);
  });

  it('stays within ±20 % for any random draw', () => {
    for (let i = 0; i <= 1000; i++) {
      const r = i / 1000;
      const first = retryDelayMs(p, 1, fixed(r));
      const second = retryDelayMs(p, 2, fixed(r));
      expect(first).toBeGreaterThanOrEqual(48_000);
      expect(first).toBeLessThanOrEqual(72_000);
      expect(second).toBeGreaterThanOrEqual(192_000);
      expect(second).toBeLessThanOrEqual(288_000);
    }
  });

  it('uses Math.random by default and stays in bounds', () => {
    for (let i = 0; i < 200; i++) {
      const delay = retryDelayMs(p, 1);
      expect(delay).toBeGreaterThanOrEqual(48_000);
      expect(delay).toBeLessThanOrEqual(72_000);
      expect(Number.isInteger(delay)).toBe(true);
    }
  });

  it('never exceeds maxDelayMs, jitter included', () => {
    // 60 s × 4^3 = 64 min is above the 60 min cap.
    expect(retryDelayMs(p, 4, fixed(0.5))).toBe(3_600_000);
    expect(retryDelayMs(p, 4, fixed(ALMOST_ONE))).toBe(3_600_000);
    expect(retryDelayMs(p, 4, fixed(0))).toBe(2_880_000);
    expect(retryDelayMs(p, 1000, fixed(ALMOST_ONE))).toBe(3_600_000);
  });

  it('clamps a misbehaving random source', () => {
    expect(retryDelayMs(p, 1, fixed(-5))).toBe(48_000);
    expect(retryDelayMs(p, 1, fixed(7))).toBe(72_000);
    expect(retryDelayMs(p, 1, fixed(Number.NaN))).toBe(60_000);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the attempt number %s', (attempt) => {
    expect(() => retryDelayMs(p, attempt, fixed(0.5))).toThrow(RangeError);
  });
});

describe('retryDelayMs with other policies', () => {
  it('never goes negative, even with full jitter', () => {
    const p: RetryPolicy = { ...DEFAULT_RETRY_POLICY, jitterRatio: 1 };
    expect(retryDelayMs(p, 1, fixed(0))).toBe(0);
    expect(retryDelayMs(p, 1, fixed(ALMOST_ONE))).toBe(120_000);
  });

  it('supports immediate retries', () => {
    const p: RetryPolicy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 0 };
    expect(retryDelayMs(p, 1, fixed(ALMOST_ONE))).toBe(0);
    expect(retryDelayMs(p, 5, fixed(0))).toBe(0);
  });

  it('is exact without jitter and constant with multiplier 1', () => {
    const p: RetryPolicy = { ...DEFAULT_RETRY_POLICY, multiplier: 1, jitterRatio: 0 };
    expect([1, 2, 3].map((n) => retryDelayMs(p, n, fixed(0)))).toEqual([60_000, 60_000, 60_000]);
  });

  it('rounds to whole milliseconds', () => {
    const p: RetryPolicy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1, multiplier: 1.5 };
    expect(nominalRetryDelayMs(p, 2)).toBe(1.5);
    expect(retryDelayMs(p, 2, fixed(0.5))).toBe(2);
  });
});

describe('hasAttemptsLeft', () => {
  it('allows attempts up to the budget', () => {
    const p = { maxAttempts: 3 };
    expect(hasAttemptsLeft(p, 0)).toBe(true);
    expect(hasAttemptsLeft(p, 1)).toBe(true);
    expect(hasAttemptsLeft(p, 2)).toBe(true);
    expect(hasAttemptsLeft(p, 3)).toBe(false);
    expect(hasAttemptsLeft(p, 4)).toBe(false);
    expect(hasAttemptsLeft({ maxAttempts: 1 }, 1)).toBe(false);
  });
});

describe('parseRetryPolicy', () => {
  it('returns the defaults for no input', () => {
    expect(parseRetryPolicy()).toEqual(DEFAULT_RETRY_POLICY);
    expect(parseRetryPolicy({})).toEqual(DEFAULT_RETRY_POLICY);
    expect(Object.isFrozen(parseRetryPolicy())).toBe(true);
  });

  it('reads numbers and numeric strings from the environment', () => {
    expect(
      parseRetryPolicy({
        maxAttempts: '5',
        baseDelayMs: ' 1000 ',
        multiplier: '2.5',
        maxDelayMs: 600_000,
        jitterRatio: '0',
      }),
    ).toEqual({
      maxAttempts: 5,
      baseDelayMs: 1000,
      multiplier: 2.5,
      maxDelayMs: 600_000,
      jitterRatio: 0,
    });
  });

  it('raises the default cap when the base delay is above it', () => {
    expect(parseRetryPolicy({ baseDelayMs: 7_200_000 }).maxDelayMs).toBe(7_200_000);
  });

  it.each([
    [
      { maxAttempts: '0' },
      'Invalid retry policy: maxAttempts must be an integer from 1 to 100, got "0"',
    ],
    [
      { maxAttempts: 101 },
      'Invalid retry policy: maxAttempts must be an integer from 1 to 100, got 101',
    ],
    [
      { maxAttempts: '2.5' },
      'Invalid retry policy: maxAttempts must be an integer from 1 to 100, got "2.5"',
    ],
    [{ maxAttempts: 'three' }, 'Invalid retry policy: maxAttempts must be a number, got "three"'],
    [{ maxAttempts: '' }, 'Invalid retry policy: maxAttempts must be a number, got ""'],
    [{ maxAttempts: '0x10' }, 'Invalid retry policy: maxAttempts must be a number, got "0x10"'],
    [{ maxAttempts: '1e1' }, 'Invalid retry policy: maxAttempts must be a number, got "1e1"'],
    [
      { baseDelayMs: -1 },
      'Invalid retry policy: baseDelayMs must be an integer from 0 to 604800000, got -1',
    ],
    [{ baseDelayMs: Number.NaN }, 'Invalid retry policy: baseDelayMs must be a number, got NaN'],
    [{ multiplier: 0.5 }, 'Invalid retry policy: multiplier must be from 1 to 100, got 0.5'],
    [
      { multiplier: 'Infinity' },
      'Invalid retry policy: multiplier must be a number, got "Infinity"',
    ],
    [{ jitterRatio: 1.5 }, 'Invalid retry policy: jitterRatio must be from 0 to 1, got 1.5'],
    [{ jitterRatio: '-0.1' }, 'Invalid retry policy: jitterRatio must be from 0 to 1, got "-0.1"'],
    [
      { maxDelayMs: 1000 },
      'Invalid retry policy: maxDelayMs (1000) must not be below baseDelayMs (60000)',
    ],
    [
      { maxDelayMs: 10 ** 12 },
      'Invalid retry policy: maxDelayMs must be an integer from 0 to 604800000, got 1000000000000',
    ],
  ])('refuses %j', (input, message) => {
    expect(() => parseRetryPolicy(input)).toThrow(RangeError);
    expect(() => parseRetryPolicy(input)).toThrow(message);
  });
});
