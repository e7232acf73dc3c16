// Shared setup for the jobs integration tests; never imported by the app.
import type { JobType } from '@notifykit/core';
import { createJobLifecycleRepository, type JobRow } from '@notifykit/db';
import type { TestApp } from '../../../test/test-app.ts';

/** A stored email payload as the send endpoint would write it. */
export const EMAIL_PAYLOAD = {
  to: 'bob@example.com',
  subject: 'Receipt',
  body: '<p>Thanks</p>',
  from: null,
};

/** A stored webhook payload with a header whose value responses must mask. */
export const WEBHOOK_PAYLOAD = {
  url: 'https://hooks.example.com/in',
  method: 'PUT',
  headers: { Authorization: 'Bearer s3cret', 'X-Trace': 'abc' },
  payload: { order: 7 },
};

/** Inserts a pending job straight through the repository (no quota, no rate limit). */
export async function insertJob(t: TestApp, customerId: string, type: JobType): Promise<JobRow> {
  const { job } = await t.deps.repositories.jobs.insert({
    customerId,
    type,
    payload: type === 'email' ? EMAIL_PAYLOAD : WEBHOOK_PAYLOAD,
  });
  return job;
}

/** Runs one attempt through the worker-side lifecycle, ending with the given outcome. */
export async function runAttempt(
  t: TestApp,
  jobId: string,
  outcome:
    | { kind: 'completed'; statusCode: number }
    | { kind: 'failed'; statusCode: number | null; errorMessage: string }
    | { kind: 'retry'; statusCode: number | null; errorMessage: string; nextAttemptAt: Date },
): Promise<void> {
  const lifecycle = createJobLifecycleRepository(t.deps.database.db);
  const claimed = await lifecycle.claimJob(jobId);
  if (!claimed) throw new Error(`job ${jobId} is not pending`);
  const result = await lifecycle.recordAttemptOutcome({
    jobId,
    attemptSequence: claimed.attemptSequence,
    attempt: { durationMs: 25, statusCode: outcome.statusCode },
    outcome:
      outcome.kind === 'completed'
        ? { kind: 'completed' }
        : outcome.kind === 'failed'
          ? { kind: 'failed', errorMessage: outcome.errorMessage }
          : {
              kind: 'retry',
              errorMessage: outcome.errorMessage,
              nextAttemptAt: outcome.nextAttemptAt,
            },
  });
  if (!result.applied) throw new Error(`outcome for ${jobId} was not applied`);
}

/** Drives a pending job to `failed` with one permanent failure. */
export function failJob(t: TestApp, jobId: string): Promise<void> {
  return runAttempt(t, jobId, { kind: 'failed', statusCode: 410, errorMessage: 'HTTP 410 Gone' });
}

/** Claims a pending job so it is `processing`. */
export async function startJob(t: TestApp, jobId: string): Promise<void> {
  const claimed = await createJobLifecycleRepository(t.deps.database.db).claimJob(jobId);
  if (!claimed) throw new Error(`job ${jobId} is not pending`);
}
