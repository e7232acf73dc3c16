import type { DeliveryOutcome } from './outcome-classification.ts';
import { hasAttemptsLeft, type RetryPolicy, retryDelayMs } from './retry-policy.ts';

/** What the job lifecycle does after an attempt. */
export type AttemptDecision =
  | { action: 'complete' }
  | { action: 'retry'; delayMs: number; errorMessage: string }
  | { action: 'fail'; errorMessage: string };

/** The attempt just made and the budget it was made under. */
export interface AttemptContext {
  /** 1-based number of the attempt just made (equals the job's `attempts` after claiming). */
  attempt: number;
  /** The job's own budget; defaults to the policy's. */
  maxAttempts?: number;
}

/**
 * Combines an attempt's outcome with the retry budget: success completes; a permanent failure,
 * or a retryable one with no attempts left, fails; otherwise retry after the backoff delay, or
 * after the server's requested wait when that is longer.
 */
export function decideAfterAttempt(
  outcome: DeliveryOutcome,
  context: AttemptContext,
  policy: RetryPolicy,
  random: () => number = Math.random,
): AttemptDecision {
  if (outcome.kind === 'success') return { action: 'complete' };
  if (outcome.kind === 'permanent') return { action: 'fail', errorMessage: outcome.reason };
  const maxAttempts = context.maxAttempts ?? policy.maxAttempts;
  if (!hasAttemptsLeft({ maxAttempts }, context.attempt)) {
    const tries = context.attempt === 1 ? '1 attempt' : `${context.attempt} attempts`;
    return { action: 'fail', errorMessage: `${outcome.reason} (gave up after ${tries})` };
  }
  const backoff = retryDelayMs(policy, context.attempt, random);
  return {
    action: 'retry',
    delayMs: Math.max(backoff, outcome.retryAfterMs ?? 0),
    errorMessage: outcome.reason,
  };
}
