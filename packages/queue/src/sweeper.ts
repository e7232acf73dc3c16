import type { JobType, Priority } from '@notifykit/core';
import type { Database, JobLifecycleRepository, StaleJob } from '@notifykit/db';
import type { Logger } from '@notifykit/runtime';
import type { Queue } from 'bullmq';
import { WORKER_LOST_MESSAGE } from './job-lifecycle-runner.ts';
import type { JobProducer } from './job-producer.ts';
import type { QueueJobData } from './queue-names.ts';
import type { SweeperSettings } from './worker-settings.ts';

/** Entry states in which some worker will still process the entry. */
const LIVE_STATES = new Set(['waiting', 'prioritized', 'delayed', 'active', 'waiting-children']);

// A full batch means more is waiting: the next pass comes soon instead of an interval later.
const FOLLOW_UP_PASS_MS = 1_000;

/** What one sweep pass did. */
export interface SweepReport {
  /** Stale rows looked at (at most the batch size). */
  examined: number;
  /** Jobs that got a fresh queue entry. */
  requeued: string[];
  /** Processing jobs whose dead claim was released (requeued too unless out of attempts). */
  released: string[];
}

/** Re-enqueues jobs Postgres says are owed work but Redis has no live entry for. */
export interface Sweeper {
  /** One pass; safe to run in several processes at once. */
  sweepOnce(): Promise<SweepReport>;
  /** Runs a pass now and then every interval until {@link Sweeper.stop}. */
  start(): void;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

/** Dependencies of {@link createSweeper}. */
export interface SweeperOptions {
  type: JobType;
  db: Database;
  lifecycle: JobLifecycleRepository;
  producer: JobProducer;
  /** The queue of `type`, to see whether an entry is still live. */
  queue: Queue<QueueJobData>;
  settings: SweeperSettings;
  /** Processing rows older than this whose entry is not active lost their worker. */
  processingGraceMs: number;
  logger: Logger;
}

async function entryState(queue: Queue<QueueJobData>, jobId: string): Promise<string> {
  const entry = await queue.getJob(jobId);
  return entry ? await entry.getState() : 'missing';
}

/**
 * The sweeper closes every gap between Postgres and Redis (docs/delivery.md): the API's
 * insert-then-enqueue, an entry lost or evicted in Redis, a worker killed mid-delivery. Each
 * pass selects stale rows FOR UPDATE SKIP LOCKED inside one transaction and keeps them locked
 * while it enqueues, so replicas sweeping at the same time take disjoint batches; BullMQ's
 * jobId dedupe and the live-entry check make a later pass a no-op for the same job.
 */
export function createSweeper(options: SweeperOptions): Sweeper {
  const { db, lifecycle, producer, queue, settings, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  const requeue = (job: StaleJob) =>
    producer.requeue({
      jobId: job.id,
      customerId: job.customerId,
      type: job.type,
      priority: job.priority as Priority,
    });

  async function sweepOnce(): Promise<SweepReport> {
    return db.transaction(async (tx) => {
      const stale = await lifecycle.findStaleJobs(
        {
          type: options.type,
          pendingOlderThanMs: settings.pendingGraceMs,
          processingOlderThanMs: options.processingGraceMs,
          limit: settings.batchSize,
        },
        tx,
      );
      const report: SweepReport = { examined: stale.length, requeued: [], released: [] };
      for (const job of stale) {
        const state = await entryState(queue, job.id);
        if (job.status === 'pending') {
          if (!LIVE_STATES.has(state) && (await requeue(job))) report.requeued.push(job.id);
          continue;
        }
        // An active entry has a worker renewing its lock (or BullMQ's stall check will soon
        // hand it back); anything else means the claim's worker is gone.
        if (state === 'active') continue;
        const released = await lifecycle.releaseClaim(
          job.id,
          job.attemptSequence,
          WORKER_LOST_MESSAGE,
          tx,
        );
        if (released === null) continue;
        report.released.push(job.id);
        if (released.status === 'pending' && (await requeue(job))) report.requeued.push(job.id);
      }
      return report;
    });
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      const pass = sweepOnce().then(
        (report) => {
          const changed = report.requeued.length + report.released.length > 0;
          logger[changed ? 'info' : 'debug'](
            {
              examined: report.examined,
              requeued: report.requeued.length,
              released: report.released.length,
            },
            'sweep pass finished',
          );
          return report.examined >= settings.batchSize && changed
            ? FOLLOW_UP_PASS_MS
            : settings.intervalMs;
        },
        (error: unknown) => {
          logger.warn({ err: error }, 'sweep pass failed; will try again');
          return settings.intervalMs;
        },
      );
      running = pass.then((next) => {
        running = undefined;
        schedule(next);
      });
    }, delayMs);
    timer.unref();
  }

  return {
    sweepOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
