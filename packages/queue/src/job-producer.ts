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

/** Queue entry states reported by {@link JobProducer.counts} (BullMQ's names). */
export const QUEUE_STATES = [
  'waiting',
  'prioritized',
  'delayed',
  'active',
  'completed',
  'failed',
] as const;
/** One of {@link QUEUE_STATES}. */
export type QueueState = (typeof QUEUE_STATES)[number];

export interface JobProducer {
  /** Adds the job's queue entry (BullMQ jobId = our job id, so a duplicate add is a no-op). */
  enqueue(request: EnqueueRequest): Promise<void>;
  /**
   * Adds a fresh entry for a job whose previous entry finished (manual retry, sweeper): the
   * old entry is removed first, because BullMQ ignores an add whose jobId still exists.
   * Resolves true when a fresh entry was added, false when a live one was left alone.
   */
  requeue(request: EnqueueRequest): Promise<boolean>;
  /** Entries per queue and state, read from Redis now (for metrics; Postgres stays the truth). */
  counts(): Promise<Record<JobType, Record<QueueState, number>>>;
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
  // A Queue without an 'error' listener prints connection errors with console.error, outside the
  // app's logger. They are the shared connection's errors, which its owner already listens to.
  for (const queue of Object.values(queues)) queue.on('error', () => {});

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
        if (state === 'active') return false; // a worker holds it; it will reach a terminal state itself
        // 'unknown': the hash outlived its list entry; BullMQ would treat an add as a duplicate.
        if (state === 'completed' || state === 'failed' || state === 'unknown') {
          await existing.remove();
        } else return false; // still waiting or delayed: already queued
      }
      await add(request);
      return true;
    },
    async counts() {
      const read = async (queue: Queue<QueueJobData>) => {
        const raw = await queue.getJobCounts(...QUEUE_STATES);
        const counts = Object.fromEntries(QUEUE_STATES.map((state) => [state, raw[state] ?? 0]));
        return counts as Record<QueueState, number>;
      };
      const [email, webhook] = await Promise.all([read(queues.email), read(queues.webhook)]);
      return { email, webhook };
    },
    async close() {
      await Promise.all([queues.email.close(), queues.webhook.close()]);
    },
  };
}
