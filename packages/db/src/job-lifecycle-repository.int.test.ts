import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDeliveryAttemptsRepository } from './delivery-attempts-repository.ts';
import { createJobLifecycleRepository } from './job-lifecycle-repository.ts';
import { createJobsRepository } from './jobs-repository.ts';
import { seedCustomer, useMigratedDatabase } from './test-fixtures.ts';

describe('job lifecycle repository', () => {
  const database = useMigratedDatabase();

  async function newJob(maxAttempts = 3): Promise<{ customerId: string; jobId: string }> {
    const customerId = await seedCustomer(database.db);
    const { job } = await createJobsRepository(database.db).insert({
      customerId,
      type: 'webhook',
      payload: { url: 'https://example.test', method: 'POST', headers: {}, payload: {} },
      maxAttempts,
    });
    return { customerId, jobId: job.id };
  }

  async function claim(jobId: string) {
    const claimed = await createJobLifecycleRepository(database.db).claimJob(jobId);
    if (!claimed) throw new Error(`could not claim ${jobId}`);
    return claimed;
  }

  async function readJob(customerId: string, jobId: string) {
    const found = await createJobsRepository(database.db).findForCustomer(customerId, jobId);
    if (!found) throw new Error(`job ${jobId} vanished`);
    return found;
  }

  describe('claimJob', () => {
    it('moves pending to processing and returns the payload and claim number', async () => {
      const { jobId } = await newJob();
      const claimed = await claim(jobId);
      expect(claimed).toMatchObject({
        id: jobId,
        status: 'processing',
        attempts: 1,
        attemptSequence: 1,
        nextAttemptAt: null,
        payload: { url: 'https://example.test', method: 'POST', headers: {}, payload: {} },
      });
      expect(claimed.startedAt).toBeInstanceOf(Date);
    });

    it('gives a second claim nothing, even when both race', async () => {
      const lifecycle = createJobLifecycleRepository(database.db);
      const { jobId } = await newJob();
      const results = await Promise.all(
        Array.from({ length: 10 }, () => lifecycle.claimJob(jobId)),
      );
      expect(results.filter((row) => row !== null)).toHaveLength(1);
      expect(await lifecycle.claimJob(jobId)).toBeNull();
      expect(await lifecycle.claimJob('job_missing')).toBeNull();
    });
  });

  describe('recordAttemptOutcome', () => {
    it('completes the job and logs a successful attempt', async () => {
      const lifecycle = createJobLifecycleRepository(database.db);
      const { customerId, jobId } = await newJob();
      const claimed = await claim(jobId);
      const result = await lifecycle.recordAttemptOutcome({
        jobId,
        attemptSequence: claimed.attemptSequence,
        attempt: { durationMs: 42.4, statusCode: 202, providerMessageId: 'sg-123' },
        outcome: { kind: 'completed' },
      });
      expect(result).toMatchObject({ applied: true, status: 'completed' });

      const { job, deliveryAttempts } = await readJob(customerId, jobId);
      expect(job).toMatchObject({ status: 'completed', errorMessage: null, nextAttemptAt: null });
      expect(job.completedAt).toBeInstanceOf(Date);
      expect(deliveryAttempts).toHaveLength(1);
      expect(deliveryAttempts[0]).toMatchObject({
        id: result.applied ? result.attemptId : '',
        customerId,
        attemptNumber: 1,
        status: 'success',
        statusCode: 202,
        durationMs: 42,
        errorMessage: null,
        providerMessageId: 'sg-123',
      });
    });

    it('schedules a retry while budget is left and fails the job once it is spent', async () => {
      const lifecycle = createJobLifecycleRepository(database.db);
      const { customerId, jobId } = await newJob(2);
      const next = new Date(Date.now() + 60_000);
      next.setMilliseconds(123);

      const first = await claim(jobId);
      expect(
        await lifecycle.recordAttemptOutcome({
          jobId,
          attemptSequence: first.attemptSequence,
          attempt: { durationMs: 30_000, errorMessage: 'timeout after 30000 ms' },
          outcome: { kind: 'retry', nextAttemptAt: next, errorMessage: 'Connection timeout' },
        }),
      ).toMatchObject({ applied: true, status: 'pending' });
      const afterFirst = await readJob(customerId, jobId);
      expect(afterFirst.job).toMatchObject({
        status: 'pending',
        errorMessage: 'Connection timeout',
        nextAttemptAt: next,
      });
      expect(afterFirst.deliveryAttempts[0]?.errorMessage).toBe('timeout after 30000 ms');

      const second = await claim(jobId);
      expect(second.attempts).toBe(2);
      expect(
        await lifecycle.recordAttemptOutcome({
          jobId,
          attemptSequence: second.attemptSequence,
          attempt: { durationMs: 10, statusCode: 503 },
          outcome: { kind: 'retry', nextAttemptAt: next, errorMessage: 'HTTP 503' },
        }),
      ).toMatchObject({ applied: true, status: 'failed' });
      const afterSecond = await readJob(customerId, jobId);
      expect(afterSecond.job).toMatchObject({
        status: 'failed',
        errorMessage: 'HTTP 503',
        nextAttemptAt: null,
        completedAt: null,
      });
      expect(afterSecond.deliveryAttempts.map((a) => [a.attemptNumber, a.status])).toEqual([
        [1, 'failed'],
        [2, 'failed'],
      ]);
    });

    it('refuses a stale completion and writes nothing', async () => {
      const lifecycle = createJobLifecycleRepository(database.db);
      const { customerId, jobId } = await newJob();
      const stale = await claim(jobId);
      // The sweeper decides the first worker is dead and hands the job to a second one.
      await lifecycle.releaseClaim(jobId, stale.attemptSequence, 'worker lost');
      const fresh = await claim(jobId);

      const late = await lifecycle.recordAttemptOutcome({
        jobId,
        attemptSequence: stale.attemptSequence,
        attempt: { durationMs: 5, statusCode: 200 },
        outcome: { kind: 'completed' },
      });
      expect(late).toEqual({ applied: false });
      const { job, deliveryAttempts } = await readJob(customerId, jobId);
      expect(job).toMatchObject({ status: 'processing', attemptSequence: fresh.attemptSequence });
      expect(deliveryAttempts).toEqual([]);

      // A duplicate delivery of an already completed job is refused the same way.
      await lifecycle.recordAttemptOutcome({
        jobId,
        attemptSequence: fresh.attemptSequence,
        attempt: { durationMs: 5 },
        outcome: { kind: 'completed' },
      });
      const again = await lifecycle.recordAttemptOutcome({
        jobId,
        attemptSequence: fresh.attemptSequence,
        attempt: { durationMs: 5 },
        outcome: { kind: 'failed', errorMessage: 'late' },
      });
      expect(again).toEqual({ applied: false });
      expect((await readJob(customerId, jobId)).job.status).toBe('completed');
    });

    it('never repeats an attempt number across a manual retry', async () => {
      const lifecycle = createJobLifecycleRepository(database.db);
      const jobsRepo = createJobsRepository(database.db);
      const { customerId, jobId } = await newJob(1);
      const first = await claim(jobId);
      await lifecycle.recordAttemptOutcome({
        jobId,
        attemptSequence: first.attemptSequence,
        attempt: { durationMs: 1, statusCode: 404 },
        outcome: { kind: 'failed', errorMessage: 'HTTP 404' },
      });
      expect(await jobsRepo.retryFailed(customerId, jobId)).not.toBeNull();
      const second = await claim(jobId);
      expect(second).toMatchObject({ attempts: 1, attemptSequence: 2 });
      await lifecycle.recordAttemptOutcome({
        jobId,
        attemptSequence: second.attemptSequence,
        attempt: { durationMs: 1, statusCode: 200 },
        outcome: { kind: 'completed' },
      });
      const logs = await createDeliveryAttemptsRepository(database.db).listForJob(
        customerId,
        jobId,
      );
      expect(logs.map((a) => [a.attemptNumber, a.status])).toEqual([
        [1, 'failed'],
        [2, 'success'],
      ]);
      const stranger = await seedCustomer(database.db);
      expect(
        await createDeliveryAttemptsRepository(database.db).listForJob(stranger, jobId),
      ).toEqual([]);
    });
  });

  describe('releaseClaim', () => {
    it('returns the job to pending, or fails it when the budget is spent', async () => {
      const lifecycle = createJobLifecycleRepository(database.db);
      const spare = await newJob(2);
      const spareClaim = await claim(spare.jobId);
      expect(
        await lifecycle.releaseClaim(spare.jobId, spareClaim.attemptSequence, 'worker shutdown'),
      ).toEqual({ status: 'pending' });
      expect((await readJob(spare.customerId, spare.jobId)).job).toMatchObject({
        status: 'pending',
        attempts: 1,
        errorMessage: 'worker shutdown',
      });
      expect(await lifecycle.releaseClaim(spare.jobId, spareClaim.attemptSequence, 'x')).toBeNull();

      const last = await newJob(1);
      const lastClaim = await claim(last.jobId);
      expect(
        await lifecycle.releaseClaim(last.jobId, lastClaim.attemptSequence, 'worker lost'),
      ).toEqual({ status: 'failed' });
    });
  });

  describe('findStaleJobs', () => {
    const query = { pendingOlderThanMs: 60_000, processingOlderThanMs: 300_000, limit: 100 };

    async function age(
      jobId: string,
      column: 'updated_at' | 'started_at' | 'next_attempt_at',
      ms: number,
    ) {
      await database.db.execute(
        sql`UPDATE jobs SET ${sql.identifier(column)} =
          now() - make_interval(secs => ${ms / 1000}::double precision) WHERE id = ${jobId}`,
      );
    }

    it('finds overdue pending and expired processing jobs only', async () => {
      const lifecycle = createJobLifecycleRepository(database.db);
      const fresh = await newJob();
      const lostEntry = await newJob();
      await age(lostEntry.jobId, 'updated_at', 120_000);
      const overdueRetry = await newJob();
      await age(overdueRetry.jobId, 'next_attempt_at', 120_000);
      const futureRetry = await newJob();
      await age(futureRetry.jobId, 'updated_at', 600_000);
      await age(futureRetry.jobId, 'next_attempt_at', -600_000);
      const busy = await newJob();
      await claim(busy.jobId);
      await age(busy.jobId, 'started_at', 60_000);
      const dead = await newJob();
      await claim(dead.jobId);
      await age(dead.jobId, 'started_at', 600_000);
      const done = await newJob();
      const doneClaim = await claim(done.jobId);
      await lifecycle.recordAttemptOutcome({
        jobId: done.jobId,
        attemptSequence: doneClaim.attemptSequence,
        attempt: { durationMs: 1 },
        outcome: { kind: 'completed' },
      });
      await age(done.jobId, 'updated_at', 600_000);

      const stale = await lifecycle.findStaleJobs(query);
      const ids = stale.map((job) => job.id);
      expect(ids).toEqual(
        expect.arrayContaining([lostEntry.jobId, overdueRetry.jobId, dead.jobId]),
      );
      for (const id of [fresh.jobId, futureRetry.jobId, busy.jobId, done.jobId]) {
        expect(ids).not.toContain(id);
      }
      expect(stale.find((job) => job.id === dead.jobId)).toMatchObject({
        status: 'processing',
        attemptSequence: 1,
        customerId: dead.customerId,
      });
      expect(await lifecycle.findStaleJobs({ ...query, limit: 1 })).toHaveLength(1);
    });

    it('lets concurrent sweepers in transactions take disjoint batches', async () => {
      const lifecycle = createJobLifecycleRepository(database.db);
      for (let i = 0; i < 4; i++) {
        const { jobId } = await newJob();
        await age(jobId, 'updated_at', 3_600_000);
      }
      let releaseFirst: () => void = () => {};
      const firstHolds = new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      let firstBatch: string[] = [];
      const first = database.db.transaction(async (tx) => {
        firstBatch = (await lifecycle.findStaleJobs({ ...query, limit: 2 }, tx)).map((j) => j.id);
        await firstHolds;
      });
      while (firstBatch.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const secondBatch = await database.db.transaction(async (tx) =>
        (await lifecycle.findStaleJobs({ ...query, limit: 2 }, tx)).map((j) => j.id),
      );
      releaseFirst();
      await first;
      expect(firstBatch).toHaveLength(2);
      expect(secondBatch).toHaveLength(2);
      expect(secondBatch.filter((id) => firstBatch.includes(id))).toEqual([]);
    });

    it('filters by job type when asked', async () => {
      const lifecycle = createJobLifecycleRepository(database.db);
      const { jobId } = await newJob();
      await age(jobId, 'updated_at', 3_600_000);
      const webhooks = await lifecycle.findStaleJobs({ ...query, type: 'webhook', limit: 500 });
      const emails = await lifecycle.findStaleJobs({ ...query, type: 'email', limit: 500 });
      expect(webhooks.map((job) => job.id)).toContain(jobId);
      expect(emails.map((job) => job.id)).not.toContain(jobId);
    });
  });

  describe('claim due-time condition, job state, release inside a transaction', () => {
    it('refuses a pending job not yet due when dueWithinMs is given', async () => {
      const lifecycle = createJobLifecycleRepository(database.db);
      const { jobId } = await newJob();
      await database.db.execute(
        sql`UPDATE jobs SET next_attempt_at = now() + interval '10 seconds' WHERE id = ${jobId}`,
      );
      expect(await lifecycle.claimJob(jobId, { dueWithinMs: 1_000 })).toBeNull();
      expect(await lifecycle.findJobState(jobId)).toMatchObject({
        id: jobId,
        status: 'pending',
        attemptSequence: 0,
      });
      expect(await lifecycle.claimJob(jobId, { dueWithinMs: 15_000 })).toMatchObject({
        status: 'processing',
        attemptSequence: 1,
      });
      expect(await lifecycle.findJobState('job_missing')).toBeNull();
    });

    it('releases a claim on the caller’s transaction', async () => {
      const lifecycle = createJobLifecycleRepository(database.db);
      const { customerId, jobId } = await newJob();
      const claimed = await claim(jobId);
      await database.db
        .transaction(async (tx) => {
          expect(await lifecycle.releaseClaim(jobId, claimed.attemptSequence, 'lost', tx)).toEqual({
            status: 'pending',
          });
          throw new Error('roll back');
        })
        .catch(() => {});
      expect((await readJob(customerId, jobId)).job.status).toBe('processing');
    });
  });
});
