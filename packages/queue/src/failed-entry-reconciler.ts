import type { Priority } from '@notifykit/core';
import type { JobLifecycleRepository } from '@notifykit/db';
import type { Logger } from '@notifykit/runtime';
import { WORKER_LOST_MESSAGE } from './job-lifecycle-runner.ts';
import type { JobProducer } from './job-producer.ts';

/** What reconciling a failed queue entry did to the job. */
export type ReconcileResult = 'requeued' | 'failed' | 'unchanged';

/**
 * Called for every queue entry BullMQ moves to `failed`. The runner itself only fails an entry
 * after the job row is `failed`, so any other failed entry means BullMQ gave up on its own
 * (stall limit, lost lock, an error before the outcome was stored) while the row still says
 * `pending` or `processing`. The row wins: a dead claim is released (the attempt counts, so a
 * job that keeps killing workers ends `failed`) and the job gets a fresh entry with its jobId.
 */
export function createFailedEntryReconciler(options: {
  lifecycle: JobLifecycleRepository;
  producer: JobProducer;
  logger: Logger;
}): (jobId: string, reason: string) => Promise<ReconcileResult> {
  const { lifecycle, producer, logger } = options;
  return async (jobId, reason) => {
    const state = await lifecycle.findJobState(jobId);
    if (state === null || state.status === 'completed' || state.status === 'failed') {
      return 'unchanged';
    }
    const log = logger.child({ jobId, reason });
    if (state.status === 'processing') {
      const released = await lifecycle.releaseClaim(
        jobId,
        state.attemptSequence,
        WORKER_LOST_MESSAGE,
      );
      if (released === null) return 'unchanged'; // its worker finished meanwhile
      if (released.status === 'failed') {
        log.warn('queue entry failed inside BullMQ and the job had no attempts left; job failed');
        return 'failed';
      }
    }
    const dueInMs = Math.max(0, (state.nextAttemptAt?.getTime() ?? 0) - Date.now());
    await producer.requeue({
      jobId,
      customerId: state.customerId,
      type: state.type,
      priority: state.priority as Priority,
      delayMs: dueInMs,
    });
    log.warn({ delayMs: dueInMs }, 'queue entry failed inside BullMQ; job re-enqueued');
    return 'requeued';
  };
}
