import type { JobType } from '@notifykit/core';
import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EntryResult } from './job-lifecycle-runner.ts';
import { KEEP_FINISHED_ENTRIES } from './job-producer.ts';
import { QUEUE_NAMES, type QueueJobData } from './queue-names.ts';
import type { WorkerSettings } from './worker-settings.ts';

/** Inputs of {@link createQueueWorker}. */
export interface QueueWorkerOptions {
  type: JobType;
  /** A connection from `createWorkerRedis` (BullMQ needs `maxRetriesPerRequest: null`). */
  connection: Redis;
  prefix: string;
  settings: Pick<
    WorkerSettings,
    'concurrency' | 'lockDurationMs' | 'stalledIntervalMs' | 'maxStalledCount'
  >;
  processor: (entry: Job<QueueJobData>, token: string | undefined) => Promise<EntryResult>;
}

/**
 * The BullMQ consumer of one job type's queue. It is created paused (`autorun: false`) so the
 * caller can attach its listeners before the first entry arrives, then calls `run()`.
 */
export function createQueueWorker(options: QueueWorkerOptions): Worker<QueueJobData, EntryResult> {
  const { settings } = options;
  return new Worker<QueueJobData, EntryResult>(QUEUE_NAMES[options.type], options.processor, {
    connection: options.connection,
    prefix: options.prefix,
    autorun: false,
    concurrency: settings.concurrency,
    lockDuration: settings.lockDurationMs,
    stalledInterval: settings.stalledIntervalMs,
    maxStalledCount: settings.maxStalledCount,
    // Producers set the same retention per entry; this covers entries added by other tools.
    removeOnComplete: KEEP_FINISHED_ENTRIES,
    removeOnFail: KEEP_FINISHED_ENTRIES,
  });
}
