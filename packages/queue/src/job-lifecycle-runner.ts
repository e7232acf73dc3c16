import { type AttemptDecision, decideAfterAttempt, type RetryPolicy } from '@notifykit/core';
import type {
  AttemptOutcome,
  ClaimedJob,
  JobLifecycleRepository,
  RecordAttemptInput,
  RecordAttemptResult,
} from '@notifykit/db';
import type { Logger } from '@notifykit/runtime';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { DeliverFn, DeliveryResult } from './delivery.ts';
import type { QueueJobData } from './queue-names.ts';

/**
 * A queue entry may reach a worker this much before the job's `nextAttemptAt` and still be
 * claimed: Redis and Postgres clocks differ a little, and re-delaying for a few ms is churn.
 */
export const EARLY_CLAIM_TOLERANCE_MS = 1_000;

/** What the customer reads when a worker died mid-delivery and the job goes round again. */
export const WORKER_LOST_MESSAGE =
  'The worker delivering this job stopped responding; the attempt was abandoned';

const INTERNAL_ERROR_MESSAGE = 'Delivery failed because of an internal error';
// The delivery already happened; losing its record would mean delivering twice.
const RECORD_RETRY_DELAYS_MS = [250, 1_000, 3_000];

/**
 * Ends a queue entry whose job row is already `failed`. Unrecoverable, so BullMQ never retries
 * it; its own class so the runtime can tell it from failures BullMQ decided on its own.
 */
export class JobFailedError extends UnrecoverableError {}

/** Dependencies of {@link createJobLifecycleRunner}. */
export interface JobLifecycleRunnerOptions {
  lifecycle: JobLifecycleRepository;
  deliver: DeliverFn;
  retryPolicy: RetryPolicy;
  logger: Logger;
  /** Jitter source; injectable for tests. */
  random?: () => number;
}

/**
 * The processor's return value when the entry completes. A scheduled retry or an early entry
 * ends with BullMQ's DelayedError instead, and a failed job with an UnrecoverableError.
 */
export type EntryResult = 'completed' | 'already-handled' | 'stale-claim';

/** Processes one queue entry: claim, deliver, record, then complete / delay / fail the entry. */
export type JobLifecycleRunner = (
  entry: Job<QueueJobData>,
  token: string | undefined,
  signal: AbortSignal,
) => Promise<EntryResult>;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function toOutcome(decision: AttemptDecision, now: number): AttemptOutcome {
  switch (decision.action) {
    case 'complete':
      return { kind: 'completed' };
    case 'retry':
      return {
        kind: 'retry',
        nextAttemptAt: new Date(now + decision.delayMs),
        errorMessage: decision.errorMessage,
      };
    case 'fail':
      return { kind: 'failed', errorMessage: decision.errorMessage };
  }
}

/**
 * The lifecycle every worker shares (docs/delivery.md): one conditional claim, one delivery,
 * one transaction recording the attempt and the job's next state, then the queue entry follows
 * the row. Retries are timed by moving this same entry to BullMQ's delayed set at exactly the
 * row's `nextAttemptAt`, so BullMQ never computes a backoff of its own.
 */
export function createJobLifecycleRunner(options: JobLifecycleRunnerOptions): JobLifecycleRunner {
  const { lifecycle, deliver, retryPolicy, logger } = options;
  const random = options.random ?? Math.random;

  async function delayEntry(
    entry: Job<QueueJobData>,
    token: string | undefined,
    at: Date,
  ): Promise<never> {
    await entry.moveToDelayed(at.getTime(), token);
    // Tells BullMQ the processor moved the entry itself; it must not complete or fail it.
    throw new DelayedError();
  }

  async function record(input: RecordAttemptInput, log: Logger): Promise<RecordAttemptResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await lifecycle.recordAttemptOutcome(input);
      } catch (error) {
        const wait = RECORD_RETRY_DELAYS_MS[attempt];
        if (wait === undefined) throw error;
        log.warn({ err: error, retryInMs: wait }, 'could not record the attempt; retrying');
        await sleep(wait);
      }
    }
  }

  /** The job could not be claimed: decide what this entry means. */
  async function handleUnclaimed(
    entry: Job<QueueJobData>,
    token: string | undefined,
    log: Logger,
  ): Promise<ClaimedJob | EntryResult> {
    const jobId = entry.data.jobId;
    const state = await lifecycle.findJobState(jobId);
    if (state === null) {
      log.warn('queue entry names a job that does not exist; dropping it');
      return 'already-handled';
    }
    if (state.status === 'pending') {
      const due = state.nextAttemptAt;
      if (due !== null && due.getTime() > Date.now() + EARLY_CLAIM_TOLERANCE_MS) {
        log.info({ nextAttemptAt: due.toISOString() }, 'entry arrived early; delayed until due');
        await delayEntry(entry, token, due);
      }
      // Became due between the claim and the read: one more try, then leave it to the sweeper.
      return (await lifecycle.claimJob(jobId)) ?? 'already-handled';
    }
    if (state.status === 'processing' && entry.stalledCounter > 0) {
      // BullMQ took this entry from a worker whose lock expired: that worker's claim is dead.
      const released = await lifecycle.releaseClaim(
        jobId,
        state.attemptSequence,
        WORKER_LOST_MESSAGE,
      );
      log.warn({ releasedTo: released?.status ?? null }, 'took over a stalled job');
      if (released?.status !== 'pending') return 'already-handled';
      return (await lifecycle.claimJob(jobId)) ?? 'already-handled';
    }
    // Completed, failed, or held by a live claim: a duplicate entry must not deliver again.
    log.info({ status: state.status }, 'job already handled; entry acknowledged');
    return 'already-handled';
  }

  async function deliverOnce(
    job: ClaimedJob,
    signal: AbortSignal,
    log: Logger,
  ): Promise<DeliveryResult> {
    const started = performance.now();
    try {
      return await deliver(job, { signal, logger: log });
    } catch (error) {
      log.error({ err: error }, 'deliver function threw; treating it as a retryable failure');
      return {
        outcome: { kind: 'retryable', reason: INTERNAL_ERROR_MESSAGE },
        statusCode: null,
        durationMs: performance.now() - started,
        responsePrefix: null,
        providerMessageId: null,
      };
    }
  }

  return async (entry, token, signal) => {
    const jobId = entry.data.jobId;
    const base = logger.child({ jobId, queueEntry: entry.id });
    const claimedOrResult =
      (await lifecycle.claimJob(jobId, { dueWithinMs: EARLY_CLAIM_TOLERANCE_MS })) ??
      (await handleUnclaimed(entry, token, base));
    if (typeof claimedOrResult === 'string') return claimedOrResult;
    const job = claimedOrResult;
    const log = base.child({ attempt: job.attemptSequence });

    const result = await deliverOnce(job, signal, log);
    const decision = decideAfterAttempt(
      result.outcome,
      { attempt: job.attempts, maxAttempts: job.maxAttempts },
      retryPolicy,
      random,
    );
    const outcome = toOutcome(decision, Date.now());
    const recorded = await record(
      {
        jobId,
        attemptSequence: job.attemptSequence,
        attempt: {
          durationMs: result.durationMs,
          statusCode: result.statusCode,
          errorMessage:
            result.outcome.kind === 'success' ? (result.note ?? null) : result.outcome.reason,
          responsePrefix: result.responsePrefix,
          providerMessageId: result.providerMessageId,
        },
        outcome,
      },
      log,
    );
    const summary = {
      statusCode: result.statusCode,
      durationMs: Math.round(result.durationMs),
      classification: result.outcome.kind,
    };
    if (!recorded.applied) {
      log.warn(summary, 'attempt not recorded: another worker took the job over meanwhile');
      return 'stale-claim';
    }
    if (recorded.status === 'completed') {
      log.info(summary, 'delivered');
      return 'completed';
    }
    if (recorded.status === 'pending' && outcome.kind === 'retry') {
      log.info(
        { ...summary, nextAttemptAt: outcome.nextAttemptAt.toISOString() },
        'attempt failed; retry scheduled',
      );
      await delayEntry(entry, token, outcome.nextAttemptAt);
    }
    const message = outcome.kind === 'completed' ? INTERNAL_ERROR_MESSAGE : outcome.errorMessage;
    log.info(summary, 'job failed');
    throw new JobFailedError(message);
  };
}
