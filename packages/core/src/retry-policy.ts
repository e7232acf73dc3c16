import { DEFAULT_MAX_ATTEMPTS } from './job-model.ts';

/** How often and how patiently a failed delivery is retried (CONTRACT §7). */
export interface RetryPolicy {
  /** Total attempts per job, the first one included. */
  maxAttempts: number;
  /** Nominal wait after the first failed attempt. */
  baseDelayMs: number;
  /** Each further wait is this many times the previous one. */
  multiplier: number;
  /** No wait is ever longer than this, jitter included. */
  maxDelayMs: number;
  /** Spread of the jitter: the wait is the nominal one × (1 ± jitterRatio). */
  jitterRatio: number;
}

/** The contract's defaults: 3 attempts, about 1 min then about 4 min, ±20 %, at most 1 hour. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: DEFAULT_MAX_ATTEMPTS,
  baseDelayMs: 60_000,
  multiplier: 4,
  maxDelayMs: 3_600_000,
  jitterRatio: 0.2,
});

/** Upper bounds on operator settings; beyond them a value is a typo, not a policy. */
export const RETRY_POLICY_LIMITS = Object.freeze({
  maxAttempts: 100,
  maxDelayMs: 7 * 24 * 3_600_000,
  multiplier: 100,
});

/** Operator input for {@link parseRetryPolicy}: numbers or numeric strings (from env), each optional. */
export type RetryPolicyInput = {
  [K in keyof RetryPolicy]?: number | string | undefined;
};

function show(raw: number | string): string {
  return typeof raw === 'string' ? JSON.stringify(raw) : String(raw);
}

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

function toNumber(name: string, raw: number | string): number {
  const value = typeof raw === 'string' && DECIMAL.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`Invalid retry policy: ${name} must be a number, got ${show(raw)}`);
  }
  return value;
}

function integerIn(name: string, raw: number | string, min: number, max: number): number {
  const value = toNumber(name, raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `Invalid retry policy: ${name} must be an integer from ${min} to ${max}, got ${show(raw)}`,
    );
  }
  return value;
}

function numberIn(name: string, raw: number | string, min: number, max: number): number {
  const value = toNumber(name, raw);
  if (value < min || value > max) {
    throw new RangeError(
      `Invalid retry policy: ${name} must be from ${min} to ${max}, got ${show(raw)}`,
    );
  }
  return value;
}

/**
 * A frozen, validated policy from operator input, defaults filling the gaps; throws RangeError
 * naming the setting for nonsense (non-numeric, fractional counts, negative or absurd values).
 */
export function parseRetryPolicy(input: RetryPolicyInput = {}): Readonly<RetryPolicy> {
  const d = DEFAULT_RETRY_POLICY;
  const maxDelayLimit = RETRY_POLICY_LIMITS.maxDelayMs;
  const maxAttempts =
    input.maxAttempts === undefined
      ? d.maxAttempts
      : integerIn('maxAttempts', input.maxAttempts, 1, RETRY_POLICY_LIMITS.maxAttempts);
  const baseDelayMs =
    input.baseDelayMs === undefined
      ? d.baseDelayMs
      : integerIn('baseDelayMs', input.baseDelayMs, 0, maxDelayLimit);
  const multiplier =
    input.multiplier === undefined
      ? d.multiplier
      : numberIn('multiplier', input.multiplier, 1, RETRY_POLICY_LIMITS.multiplier);
  // A larger base delay with the default cap would silently shrink every wait; raise the cap.
  const maxDelayMs =
    input.maxDelayMs === undefined
      ? Math.max(d.maxDelayMs, baseDelayMs)
      : integerIn('maxDelayMs', input.maxDelayMs, 0, maxDelayLimit);
  if (maxDelayMs < baseDelayMs) {
    throw new RangeError(
      `Invalid retry policy: maxDelayMs (${maxDelayMs}) must not be below baseDelayMs (${baseDelayMs})`,
    );
  }
  const jitterRatio =
    input.jitterRatio === undefined
      ? d.jitterRatio
      : numberIn('jitterRatio', input.jitterRatio, 0, 1);
  return Object.freeze({ maxAttempts, baseDelayMs, multiplier, maxDelayMs, jitterRatio });
}

/** The wait before the next attempt, without jitter: base × multiplier^(attempt − 1), capped. */
export function nominalRetryDelayMs(policy: RetryPolicy, attemptJustFailed: number): number {
  if (!Number.isSafeInteger(attemptJustFailed) || attemptJustFailed < 1) {
    throw new RangeError(`attemptJustFailed must be an integer ≥ 1, got ${attemptJustFailed}`);
  }
  const raw = policy.baseDelayMs * policy.multiplier ** (attemptJustFailed - 1);
  return Math.min(raw, policy.maxDelayMs);
}

/**
 * The wait before the next attempt after attempt `attemptJustFailed` (1-based) failed: the
 * nominal delay scaled by a uniform factor in [1 − jitterRatio, 1 + jitterRatio], rounded to
 * whole ms and clamped to [0, maxDelayMs]. `random` is injectable for tests.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attemptJustFailed: number,
  random: () => number = Math.random,
): number {
  const nominal = nominalRetryDelayMs(policy, attemptJustFailed);
  const draw = random();
  // A misbehaving source of randomness must not produce a negative or unbounded delay.
  const r = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0.5;
  const factor = 1 + policy.jitterRatio * (2 * r - 1);
  return Math.min(Math.max(Math.round(nominal * factor), 0), policy.maxDelayMs);
}

/** True when a job that has made `attemptsMade` attempts may make another. */
export function hasAttemptsLeft(
  policy: Pick<RetryPolicy, 'maxAttempts'>,
  attemptsMade: number,
): boolean {
  return attemptsMade < policy.maxAttempts;
}
