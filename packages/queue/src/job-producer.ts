import type { JobType, Priority } from '@notifykit/core';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DEFAULT_QUEUE_PREFIX, QUEUE_NAMES, type QueueJobData } from './queue-names.ts';

/**
 * Finished queue entries are kept this long so a late duplicate `add` with the same jobId is
 * deduplicated by BullMQ; Postgres stays the record of truth, so the window is generous but bounded.
 */
export const KEEP_FINISHED_ENTRIES = { age: 7 * 24 * 3600, count: 100_000 } as const;

export interface EnqueueRequest {
  jobId: string;
  customerId: string;
  type: JobType;
  priority: Priority;
  delayMs?: number;
}

export interface JobProducer {
  /** Adds the job's queue entry (BullMQ jobId = our job id, so a duplicate add is a no-op). */
  enqueue(request: EnqueueRequest): Promise<void>;
  /**
   * Adds a fresh entry for a job whose previous entry finished (manual retry, sweeper): the
   * old entry is removed first, because BullMQ ignores an add whose jobId still exists.
   */
  requeue(request: EnqueueRequest): Promise<void>;
  close(): Promise<void>;
}

/** Producer side of both queues, sharing one Redis connection. */
export function createJobProducer(options: { connection: Redis; prefix?: string }): JobProducer {
  const prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
  const queues = {
    email: new Queue<QueueJobData>(QUEUE_NAMES.email, { connection: options.connection, prefix }),
    webhook: new Queue<QueueJobData>(QUEUE_NAMES.webhook, {
      connection: options.connection,
      prefix,
    }),
  };

  const add = async (request: EnqueueRequest) => {
    await queues[request.type].add(
      request.type,
      { jobId: request.jobId, customerId: request.customerId },
      {
        jobId: request.jobId,
        priority: request.priority,
        delay: request.delayMs ?? 0,
        removeOnComplete: KEEP_FINISHED_ENTRIES,
        removeOnFail: KEEP_FINISHED_ENTRIES,
      },
    );
  };

  return {
    enqueue: add,
    async requeue(request) {
      const existing = await queues[request.type].getJob(request.jobId);
      if (existing) {
        const state = await existing.getState();
        if (state === 'active') return; // a worker holds it; it will reach a terminal state itself
        if (state === 'completed' || state === 'failed') await existing.remove();
        else return; // still waiting or delayed: already queued
      }
      await add(request);
    },
    async close() {
      await Promise.all([queues.email.close(), queues.webhook.close()]);
    },
  };
}
