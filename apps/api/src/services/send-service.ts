import {
  type EmailPayload,
  type JobType,
  type PlanLimits,
  type Priority,
  quotaExceededMessage,
  type SendAccepted,
  type WebhookPayload,
} from '@notifykit/core';
import type { CustomerRecord, JobRow } from '@notifykit/db';
import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../dependencies.ts';
import { ApiError } from '../http/api-error.ts';
import { DependencyUnavailableError } from '../http/infrastructure-errors.ts';
import { enqueueCommittedJob } from './job-enqueue.ts';
import { toSendAccepted } from './job-view.ts';
import { IDEMPOTENCY_CONFLICT_MESSAGE } from './send-idempotency.ts';

/** A send that passed validation and plan rules, ready to become a job. */
export interface SendRequest {
  customer: CustomerRecord;
  limits: PlanLimits;
  type: JobType;
  payload: EmailPayload | WebhookPayload;
  priority: Priority;
  idempotency: { key: string; fingerprint: string } | undefined;
  log: FastifyBaseLogger;
}

/** The 202 answer: the job's acceptance, and whether it is a replay of an earlier request. */
export interface SendResult {
  accepted: SendAccepted;
  replayed: boolean;
}

type SendDeps = Pick<AppDeps, 'env' | 'redis' | 'producer' | 'monthlyQuota' | 'repositories'>;

/** An earlier job under the same key: a replay when the request matches, else the 422. */
function settleExisting(job: JobRow, fingerprint: string): SendResult {
  if (job.requestFingerprint !== fingerprint) throw new ApiError(422, IDEMPOTENCY_CONFLICT_MESSAGE);
  return { accepted: toSendAccepted(job), replayed: true };
}

/**
 * Turns a validated send into a stored, queued job (CONTRACT §3, §7): Redis must be up, an
 * idempotent repeat is answered from the original job for free, the monthly quota is reserved,
 * then one transaction stores the job, its idempotency claim and the usage increment, and only
 * after commit is the queue entry added. Nothing is accepted that was not stored, and a quota
 * unit is never kept by a request that did not create a job. Once committed the answer is 202
 * even if the queue write fails: the sweeper enqueues it later, while failing would invite a
 * client retry that, without an idempotency key, sends the notification twice.
 */
export async function acceptSend(deps: SendDeps, request: SendRequest): Promise<SendResult> {
  // A job stored while Redis is away would only be queued by the sweeper minutes later; the
  // contract prefers an honest 503 the client (or the SDK) retries.
  if (deps.redis.status !== 'ready') throw new DependencyUnavailableError('redis');

  const { customer, idempotency } = request;
  if (idempotency) {
    // Checked before the quota so a replay costs nothing and still works once the quota is spent.
    const existing = await deps.repositories.jobs.findByIdempotencyKey(
      customer.id,
      idempotency.key,
    );
    if (existing) return settleExisting(existing, idempotency.fingerprint);
  }

  const reservation = await deps.monthlyQuota.reserve(customer.id, request.limits, request.type);
  if (reservation.status === 'exceeded') {
    throw new ApiError(
      403,
      quotaExceededMessage(reservation.used, reservation.limit, reservation.period.resetsAt),
    );
  }

  let created: JobRow | undefined;
  try {
    const inserted = await deps.repositories.jobs.insert({
      customerId: customer.id,
      type: request.type,
      payload: request.payload,
      priority: request.priority,
      maxAttempts: deps.env.RETRY_MAX_ATTEMPTS,
      idempotency,
      // Every accepted send is recorded by type, charged or not: the quota sums only the types
      // that count, so a mid-month plan change starts from the true numbers.
      countUsage: true,
    });
    // Lost a race with a concurrent request using the same key: that one owns the job.
    if (!inserted.created) return settleExisting(inserted.job, idempotency?.fingerprint ?? '');
    created = inserted.job;
  } finally {
    if (!created && reservation.status === 'reserved') {
      await reservation.release().catch((error: unknown) => {
        request.log.warn({ err: error, customerId: customer.id }, 'could not release quota unit');
      });
    }
  }

  await enqueueCommittedJob(
    deps,
    {
      mode: 'enqueue',
      jobId: created.id,
      customerId: customer.id,
      type: created.type,
      priority: created.priority,
    },
    request.log,
  );
  return { accepted: toSendAccepted(created), replayed: false };
}
