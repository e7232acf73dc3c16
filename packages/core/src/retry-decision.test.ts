import { describe, expect, it } from 'vitest';
import { decideAfterAttempt } from './retry-decision.ts';
import { DEFAULT_RETRY_POLICY } from './retry-policy.ts';

const policy = DEFAULT_RETRY_POLICY;
const noJitter = () => 0.5;
const failing = { kind: 'retryable', reason: 'Webhook endpoint responded with HTTP 503' } as const;

describe('decideAfterAttempt', () => {
  it('completes on success, whatever the attempt', () => {
    expect(decideAfterAttempt({ kind: 'success' }, { attempt: 3 }, policy)).toEqual({
      action: 'complete',
    });
  });

  it('fails at once on a permanent failure, with the reason as the job error', () => {
    expect(
      decideAfterAttempt(
        { kind: 'permanent', reason: 'Webhook endpoint responded with HTTP 404' },
        { attempt: 1 },
        policy,
      ),
    ).toEqual({ action: 'fail', errorMessage: 'Webhook endpoint responded with HTTP 404' });
  });

  it('retries after ≈1 min, then ≈4 min, then gives up after the third attempt', () => {
    expect(decideAfterAttempt(failing, { attempt: 1 }, policy, noJitter)).toEqual({
      action: 'retry',
      delayMs: 60_000,
      errorMessage: 'Webhook endpoint responded with HTTP 503',
    });
    expect(decideAfterAttempt(failing, { attempt: 2 }, policy, noJitter)).toEqual({
      action: 'retry',
      delayMs: 240_000,
      errorMessage: 'Webhook endpoint responded with HTTP 503',
    });
    expect(decideAfterAttempt(failing, { attempt: 3 }, policy, noJitter)).toEqual({
      action: 'fail',
      errorMessage: 'Webhook endpoint responded with HTTP 503 (gave up after 3 attempts)',
    });
  });

  it('uses the job’s own budget when given', () => {
    expect(decideAfterAttempt(failing, { attempt: 1, maxAttempts: 1 }, policy)).toEqual({
      action: 'fail',
      errorMessage: 'Webhook endpoint responded with HTTP 503 (gave up after 1 attempt)',
    });
    expect(
      decideAfterAttempt(failing, { attempt: 3, maxAttempts: 5 }, policy, noJitter),
    ).toMatchObject({
      action: 'retry',
      delayMs: 960_000,
    });
  });

  it('waits for the server when it asks for longer than the backoff', () => {
    expect(
      decideAfterAttempt({ ...failing, retryAfterMs: 600_000 }, { attempt: 1 }, policy, noJitter),
    ).toMatchObject({ action: 'retry', delayMs: 600_000 });
  });

  it('keeps its own backoff when the server asks for less', () => {
    expect(
      decideAfterAttempt({ ...failing, retryAfterMs: 5_000 }, { attempt: 1 }, policy, () => 0),
    ).toMatchObject({ action: 'retry', delayMs: 48_000 });
  });

  it('still gives up when out of attempts, even if the server asked to wait', () => {
    expect(
      decideAfterAttempt({ ...failing, retryAfterMs: 1000 }, { attempt: 3 }, policy),
    ).toMatchObject({ action: 'fail' });
  });
});
