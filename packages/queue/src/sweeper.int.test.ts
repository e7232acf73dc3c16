import { createDatabase, createJobLifecycleRepository } from '@notifykit/db';
import { Worker } from 'bullmq';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { WORKER_LOST_MESSAGE } from './job-lifecycle-runner.ts';
import { QUEUE_NAMES } from './queue-names.ts';
import {
  eventually,
  type InsertedJob,
  scriptedDeliver,
  testLogger,
  useQueueTestContext,
} from './queue-test-fixtures.ts';
import { createWorkerRedis } from './redis-connections.ts';
import { createSweeper, type Sweeper } from './sweeper.ts';

const ctx = useQueueTestContext();
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

/** A sweeper with its own Postgres pool, as a separate worker replica would have. */
function replicaSweeper(prefix: string, batchSize = 500): Sweeper {
  const connection = createDatabase(ctx.databaseUrl, { max: 2 });
  closers.push(() => connection.close());
  return createSweeper({
    type: 'webhook',
    db: connection.db,
    lifecycle: createJobLifecycleRepository(connection.db),
    producer: ctx.producer(prefix),
    queue: ctx.queue(prefix),
    settings: { intervalMs: 60_000, batchSize, pendingGraceMs: 1_000 },
    processingGraceMs: 30_000,
    logger: testLogger(),
  });
}

async function age(job: InsertedJob, column: 'updated_at' | 'started_at', seconds: number) {
  await ctx.query(`UPDATE jobs SET ${column} = now() - make_interval(secs => $1) WHERE id = $2`, [
    seconds,
    job.jobId,
  ]);
}

async function completedJob(job: InsertedJob) {
  return eventually(async () => {
    const found = await ctx.readJob(job);
    return found.job.status === 'completed' || found.job.status === 'failed' ? found : undefined;
  });
}

describe('sweeper', () => {
  // Every test sees only its own jobs: the sweeper looks at the whole table.
  beforeEach(() => ctx.query('DELETE FROM jobs'));

  it('re-enqueues a job whose queue entry was deleted from Redis, and the job completes', async () => {
    const prefix = ctx.newPrefix();
    const job = await ctx.insertJob();
    const producer = ctx.producer(prefix);
    await producer.enqueue({ ...job, type: 'webhook' });
    const queue = ctx.queue(prefix);
    await queue.remove(job.jobId);
    expect(await queue.getJob(job.jobId)).toBeUndefined();
    await age(job, 'updated_at', 5);

    const deliver = scriptedDeliver({});
    ctx.startWorker(prefix, deliver, {
      sweeper: { intervalMs: 100, batchSize: 500, pendingGraceMs: 1_000 },
    });
    const { job: row, deliveryAttempts } = await completedJob(job);
    expect(row.status).toBe('completed');
    expect(deliveryAttempts).toHaveLength(1);
    expect(deliver.calls.map((call) => call.jobId)).toEqual([job.jobId]);
  });

  it('lets two sweepers running together enqueue each stale job exactly once', async () => {
    const prefix = ctx.newPrefix();
    const jobs: InsertedJob[] = [];
    for (let i = 0; i < 20; i++) {
      const job = await ctx.insertJob();
      await age(job, 'updated_at', 120);
      jobs.push(job);
    }
    const [a, b] = [replicaSweeper(prefix), replicaSweeper(prefix)];
    const [reportA, reportB] = await Promise.all([a.sweepOnce(), b.sweepOnce()]);

    const requeued = [...reportA.requeued, ...reportB.requeued];
    expect(new Set(requeued).size).toBe(requeued.length);
    expect(requeued.sort()).toEqual(jobs.map((job) => job.jobId).sort());
    const waiting = await ctx.queue(prefix).getJobs(['waiting', 'prioritized']);
    expect(waiting.map((entry) => entry.id).sort()).toEqual(requeued);

    // Their entries are live now: later passes leave them alone.
    for (const sweeper of [a, b]) {
      expect(await sweeper.sweepOnce()).toMatchObject({ examined: 20, requeued: [] });
    }
  });

  it('looks at no more than the batch size per pass', async () => {
    const prefix = ctx.newPrefix();
    for (let i = 0; i < 3; i++) await age(await ctx.insertJob(), 'updated_at', 3_600);
    const report = await replicaSweeper(prefix, 2).sweepOnce();
    expect(report.examined).toBe(2);
    expect(report.requeued).toHaveLength(2);
  });

  it('releases a processing job whose worker vanished and delivers it again', async () => {
    const prefix = ctx.newPrefix();
    const job = await ctx.insertJob();
    const lifecycle = createJobLifecycleRepository(ctx.db);
    const claim = await lifecycle.claimJob(job.jobId);
    expect(claim?.attemptSequence).toBe(1);
    await age(job, 'started_at', 120);

    const report = await replicaSweeper(prefix).sweepOnce();
    expect(report.released).toEqual([job.jobId]);
    expect(report.requeued).toEqual([job.jobId]);
    expect((await ctx.readJob(job)).job).toMatchObject({
      status: 'pending',
      attempts: 1,
      errorMessage: WORKER_LOST_MESSAGE,
    });

    ctx.startWorker(prefix, scriptedDeliver({}));
    const { job: row, deliveryAttempts } = await completedJob(job);
    expect(row).toMatchObject({ status: 'completed', attempts: 2, errorMessage: null });
    expect(deliveryAttempts.map((a) => [a.attemptNumber, a.status])).toEqual([[2, 'success']]);
  });

  it('fails a vanished worker’s job that had no attempts left', async () => {
    const prefix = ctx.newPrefix();
    const job = await ctx.insertJob({ maxAttempts: 1 });
    await createJobLifecycleRepository(ctx.db).claimJob(job.jobId);
    await age(job, 'started_at', 120);

    const report = await replicaSweeper(prefix).sweepOnce();
    expect(report).toMatchObject({ released: [job.jobId], requeued: [] });
    expect((await ctx.readJob(job)).job).toMatchObject({
      status: 'failed',
      errorMessage: WORKER_LOST_MESSAGE,
    });
    expect(await ctx.queue(prefix).getJob(job.jobId)).toBeUndefined();
  });

  it('leaves fresh pending jobs and processing jobs with an active entry alone', async () => {
    const prefix = ctx.newPrefix();
    const fresh = await ctx.insertJob();
    const busy = await ctx.insertJob();
    await ctx.producer(prefix).enqueue({ ...busy, type: 'webhook' });
    // A live worker: it holds the entry's lock while "delivering" for a long time.
    const connection = createWorkerRedis(ctx.redisUrl);
    const holder = new Worker(QUEUE_NAMES.webhook, null, {
      connection,
      prefix,
      lockDuration: 60_000,
    });
    closers.push(async () => {
      await holder.close(true);
      connection.disconnect();
    });
    const entry = await holder.getNextJob('holder-token');
    expect(entry?.id).toBe(busy.jobId);
    await createJobLifecycleRepository(ctx.db).claimJob(busy.jobId);
    await age(busy, 'started_at', 120);

    const report = await replicaSweeper(prefix).sweepOnce();
    expect(report).toEqual({ examined: 1, requeued: [], released: [] });
    expect((await ctx.readJob(busy)).job.status).toBe('processing');
    expect(await ctx.queue(prefix).getJob(fresh.jobId)).toBeUndefined();
  });
});
