import type { JobType } from '@notifykit/core';
import {
  createDatabase,
  createJobLifecycleRepository,
  type Database,
  type DatabaseConnection,
} from '@notifykit/db';
import type { Logger } from '@notifykit/runtime';
import { Queue, type Worker } from 'bullmq';
import type { DeliverFn } from './delivery.ts';
import { createFailedEntryReconciler } from './failed-entry-reconciler.ts';
import {
  createJobLifecycleRunner,
  type EntryResult,
  JobFailedError,
} from './job-lifecycle-runner.ts';
import { createJobProducer } from './job-producer.ts';
import { QUEUE_NAMES, type QueueJobData } from './queue-names.ts';
import { createQueueWorker } from './queue-worker.ts';
import { createWorkerRedis } from './redis-connections.ts';
import { createSweeper, type Sweeper } from './sweeper.ts';
import type { WorkerSettings } from './worker-settings.ts';

/** Everything a worker app hands over; the runtime owns every connection it opens. */
export interface WorkerRuntimeOptions {
  type: JobType;
  databaseUrl: string;
  /** Defaults to concurrency + 4 (claims and records run one at a time per job, plus sweeps). */
  databasePoolMax?: number;
  redisUrl: string;
  /** BullMQ key prefix (REDIS_PREFIX); the API must use the same. */
  redisPrefix: string;
  settings: WorkerSettings;
  logger: Logger;
  /** Builds the app's delivery function on the runtime's database. */
  createDeliver(resources: { db: Database }): DeliverFn;
  /** Runs once no delivery is active any more, before queues, Redis and Postgres close. */
  onDeliveriesStopped?(): Promise<void> | void;
}

/** A running worker process's queue side. */
export interface WorkerRuntime {
  readonly worker: Worker<QueueJobData, EntryResult>;
  readonly sweeper: Sweeper;
  readonly database: DatabaseConnection;
  /** Deliveries in progress right now. */
  activeCount(): number;
  /** Graceful shutdown in the documented order; idempotent. */
  close(): Promise<void>;
}

function sleep(ms: number): { done: Promise<void>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return { done, cancel: () => clearTimeout(timer) };
}

/**
 * Wires one worker process: Postgres pool, Redis connections, the BullMQ worker running the
 * lifecycle runner, the failed-entry reconciler, and the sweeper.
 *
 * Shutdown order (the one place it is written down):
 * 1. stop the sweeper (a pass in progress finishes);
 * 2. stop taking entries and wait for active deliveries, up to `shutdownGraceMs`; past it,
 *    abort them (each records an interrupted attempt and is retried later);
 * 3. the app's own resources (`onDeliveriesStopped`, e.g. HTTP agents);
 * 4. queues; 5. Redis connections; 6. the Postgres pool.
 */
export function startWorkerRuntime(options: WorkerRuntimeOptions): WorkerRuntime {
  const { settings, type } = options;
  const logger = options.logger.child({ queue: QUEUE_NAMES[type] });
  const database = createDatabase(options.databaseUrl, {
    max: options.databasePoolMax ?? settings.concurrency + 4,
    onPoolError: (error) => logger.warn({ err: error }, 'idle postgres client failed'),
  });
  const workerRedis = createWorkerRedis(options.redisUrl);
  // Queue operations outside the consumer (sweeps, requeues) give up after a few reconnects
  // instead of waiting forever inside a sweep transaction.
  const controlRedis = createWorkerRedis(options.redisUrl, { maxRetriesPerRequest: 3 });
  for (const connection of [workerRedis, controlRedis]) {
    connection.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  }
  const prefix = options.redisPrefix;
  const lifecycle = createJobLifecycleRepository(database.db);
  const producer = createJobProducer({ connection: controlRedis, prefix });
  const queue = new Queue<QueueJobData>(QUEUE_NAMES[type], { connection: controlRedis, prefix });
  // Its errors are the control connection's, already logged above; unhandled they would go
  // to console.error outside the logger.
  queue.on('error', () => {});

  const runner = createJobLifecycleRunner({
    lifecycle,
    deliver: options.createDeliver({ db: database.db }),
    retryPolicy: settings.retryPolicy,
    logger,
  });
  const deliveries = new Set<AbortController>();
  const worker = createQueueWorker({
    type,
    connection: workerRedis,
    prefix,
    settings,
    processor: async (entry, token) => {
      const controller = new AbortController();
      deliveries.add(controller);
      try {
        return await runner(entry, token, controller.signal);
      } finally {
        deliveries.delete(controller);
      }
    },
  });

  const reconcile = createFailedEntryReconciler({ lifecycle, producer, logger });
  const reconciling = new Set<Promise<unknown>>();
  worker.on('failed', (entry, error) => {
    if (error instanceof JobFailedError) return; // the row already says failed
    const jobId = entry?.data.jobId;
    if (jobId === undefined) {
      logger.error({ err: error }, 'a queue entry failed and was removed before it could be read');
      return;
    }
    const pass = reconcile(jobId, error.message)
      .catch((reconcileError: unknown) =>
        logger.error({ err: reconcileError, jobId }, 'could not reconcile a failed queue entry'),
      )
      .finally(() => reconciling.delete(pass));
    reconciling.add(pass);
  });
  worker.on('stalled', (jobId) => logger.warn({ jobId }, 'queue entry stalled; redelivering'));
  worker.on('error', (error) => logger.error({ err: error }, 'queue worker error'));

  const sweeper = createSweeper({
    type,
    db: database.db,
    lifecycle,
    producer,
    queue,
    settings: settings.sweeper,
    processingGraceMs: settings.lockDurationMs,
    logger,
  });

  void worker.run().catch((error: unknown) => logger.error({ err: error }, 'worker loop ended'));
  sweeper.start();
  logger.info({ concurrency: settings.concurrency }, 'queue worker running');

  let closing: Promise<void> | undefined;
  async function shutDown(): Promise<void> {
    await sweeper.stop();
    const workerClosed = worker.close();
    const grace = sleep(settings.shutdownGraceMs);
    const graceOver = await Promise.race([
      workerClosed.then(() => false),
      grace.done.then(() => true),
    ]);
    grace.cancel();
    if (graceOver) {
      logger.warn({ active: deliveries.size }, 'shutdown grace period over; aborting deliveries');
      for (const controller of deliveries) controller.abort();
      await workerClosed;
    }
    await Promise.allSettled(reconciling);
    await options.onDeliveriesStopped?.();
    await Promise.all([producer.close(), queue.close()]);
    await Promise.all(
      [workerRedis, controlRedis].map((connection) =>
        connection.quit().catch(() => connection.disconnect()),
      ),
    );
    await database.close();
  }

  return {
    worker,
    sweeper,
    database,
    activeCount: () => deliveries.size,
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
}
