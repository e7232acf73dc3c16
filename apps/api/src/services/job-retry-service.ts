import { type PlanLimits, parseId, type RetryAccepted } from '@notifykit/core';
import type { CustomerRecord } from '@notifykit/db';
import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../dependencies.ts';
import { notFound } from '../http/api-error.ts';
import { enqueueCommittedJob } from './job-enqueue.ts';
import { emailKeyMissingError, isEmailKeyMissing } from './send-rules.ts';

/** The retry endpoint's 404 (seed, exact string): every "cannot retry" looks the same. */
export const RETRY_NOT_POSSIBLE_MESSAGE =
  'Job not found or cannot be retried (must be in failed status)';

/** A manual retry request. */
export interface RetryRequest {
  customer: CustomerRecord;
  limits: PlanLimits;
  jobId: string;
  log: FastifyBaseLogger;
}

type RetryDeps = Pick<AppDeps, 'redis' | 'producer' | 'repositories'>;

/**
 * Moves one of the customer's failed jobs back to pending with a fresh attempt budget and
 * queues it (CONTRACT §4). The status flip is one conditional UPDATE, so of concurrent retries
 * exactly one wins. Manual retries are never charged against the monthly quota. Once the flip
 * is committed the answer is 200 even if the queue write fails: the sweeper queues the job.
 */
export async function retryJob(deps: RetryDeps, request: RetryRequest): Promise<RetryAccepted> {
  const { customer, jobId } = request;
  if (parseId(jobId, 'job') === null) throw notFound(RETRY_NOT_POSSIBLE_MESSAGE);

  // Checked before the flip: a failed email job of a customer without their own SendGrid key
  // would just fail again, and the 400 must leave the job untouched. Only customers missing
  // the key pay for the extra read.
  if (isEmailKeyMissing(customer, request.limits)) {
    const found = await deps.repositories.jobs.findForCustomer(customer.id, jobId);
    if (found?.job.type === 'email' && found.job.status === 'failed') throw emailKeyMissingError();
  }

  const job = await deps.repositories.jobs.retryFailed(customer.id, jobId);
  if (!job) throw notFound(RETRY_NOT_POSSIBLE_MESSAGE);

  // requeue removes a finished queue entry with the same id first; BullMQ would ignore the add.
  await enqueueCommittedJob(
    deps,
    {
      mode: 'requeue',
      jobId: job.id,
      customerId: customer.id,
      type: job.type,
      priority: job.priority,
    },
    request.log,
  );
  return { jobId: job.id, status: 'pending', message: 'Job has been re-queued for processing' };
}
