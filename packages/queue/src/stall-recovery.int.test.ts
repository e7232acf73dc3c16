import { createJobLifecycleRepository } from '@notifykit/db';
import { Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { WORKER_LOST_MESSAGE } from './job-lifecycle-runner.ts';
import { QUEUE_NAMES, type QueueJobData } from './queue-names.ts';
import {
  eventually,
  type InsertedJob,
  scriptedDeliver,
  useQueueTestContext,
} from './queue-test-fixtures.ts';
import { createWorkerRedis } from './redis-connections.ts';

const ctx = useQueueTestContext();
const dying: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of dying.splice(0)) await close();
});

/**
 * A worker that claims the job like a real one and then stops responding: it never finishes
 * and never renews its BullMQ lock, as if its process had frozen or been killed.
 */
async function startFrozenWorker(prefix: string, job: InsertedJob): Promise<void> {
  const connection = createWorkerRedis(ctx.redisUrl);
  const lifecycle = createJobLifecycleRepository(ctx.db);
  const frozen = new Worker<QueueJobData>(
    QUEUE_NAMES.webhook,
    async (entry) => {
      await lifecycle.claimJob(entry.data.jobId);
      await new Promise(() => {});
    },
    { connection, prefix, lockDuration: 500, skipLockRenewal: true, skipStalledCheck: true },
  );
  dying.push(async () => {
    await frozen.close(true);
    connection.disconnect();
  });
  await eventually(async () => {
    const { job: row } = await ctx.readJob(job);
    return row.status === 'processing' ? row : undefined;
  });
}

async function finished(job: InsertedJob) {
  return eventually(async () => {
    const found = await ctx.readJob(job);
    return found.job.status === 'completed' || found.job.status === 'failed' ? found : undefined;
  });
}

describe('recovery from stalled workers', () => {
  it('reconciles an entry BullMQ failed for stalling too often and delivers the job', async () => {
    const prefix = ctx.newPrefix();
    const job = await ctx.insertJob();
    await ctx.producer(prefix).enqueue({ ...job, type: 'webhook' });
    await startFrozenWorker(prefix, job);

    const deliver = scriptedDeliver({});
    ctx.startWorker(prefix, deliver, { stalledIntervalMs: 300, maxStalledCount: 0 });

    const { job: row, deliveryAttempts } = await finished(job);
    expect(row).toMatchObject({ status: 'completed', attempts: 2, attemptSequence: 2 });
    // The frozen worker's claim counts against the budget but left no log entry.
    expect(deliveryAttempts.map((a) => [a.attemptNumber, a.status])).toEqual([[2, 'success']]);
    expect(deliver.calls).toHaveLength(1);
  });

  it('fails the job when the stalled attempt was its last one', async () => {
    const prefix = ctx.newPrefix();
    const job = await ctx.insertJob({ maxAttempts: 1 });
    await ctx.producer(prefix).enqueue({ ...job, type: 'webhook' });
    await startFrozenWorker(prefix, job);

    const deliver = scriptedDeliver({});
    ctx.startWorker(prefix, deliver, { stalledIntervalMs: 300, maxStalledCount: 0 });

    const { job: row, deliveryAttempts } = await finished(job);
    expect(row).toMatchObject({ status: 'failed', errorMessage: WORKER_LOST_MESSAGE });
    expect(deliveryAttempts).toEqual([]);
    expect(deliver.calls).toHaveLength(0);
  });

  it('takes over the claim when BullMQ hands a stalled entry to another worker', async () => {
    const prefix = ctx.newPrefix();
    const job = await ctx.insertJob();
    await ctx.producer(prefix).enqueue({ ...job, type: 'webhook' });
    await startFrozenWorker(prefix, job);

    const deliver = scriptedDeliver({});
    ctx.startWorker(prefix, deliver, { stalledIntervalMs: 300, maxStalledCount: 1 });

    const { job: row, deliveryAttempts } = await finished(job);
    expect(row).toMatchObject({ status: 'completed', attempts: 2 });
    expect(deliveryAttempts.map((a) => [a.attemptNumber, a.status])).toEqual([[2, 'success']]);
    const entry = await ctx.queue(prefix).getJob(job.jobId);
    expect(entry?.stalledCounter).toBe(1);
    expect(entry?.returnvalue).toBe('completed');
  });
});
