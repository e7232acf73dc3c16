import { describe, expect, it } from 'vitest';
import { EARLY_CLAIM_TOLERANCE_MS } from './job-lifecycle-runner.ts';
import { eventually, scriptedDeliver, useQueueTestContext } from './queue-test-fixtures.ts';

const ctx = useQueueTestContext();

async function finished(job: { jobId: string; customerId: string; priority: 1 | 5 | 10 }) {
  return eventually(
    async () => {
      const found = await ctx.readJob(job);
      return found.job.status === 'completed' || found.job.status === 'failed' ? found : undefined;
    },
    15_000,
    `job ${job.jobId} finishing`,
  );
}

describe('job lifecycle runner', () => {
  it('completes a delivered job with one successful log and a completed entry', async () => {
    const prefix = ctx.newPrefix();
    const job = await ctx.insertJob();
    const deliver = scriptedDeliver({});
    ctx.startWorker(prefix, deliver);
    await ctx.producer(prefix).enqueue({ ...job, type: 'webhook' });

    const { job: row, deliveryAttempts } = await finished(job);
    expect(row).toMatchObject({ status: 'completed', attempts: 1, errorMessage: null });
    expect(row.completedAt).toBeInstanceOf(Date);
    expect(deliveryAttempts.map((a) => [a.attemptNumber, a.status, a.statusCode])).toEqual([
      [1, 'success', 200],
    ]);
    const entry = await ctx.queue(prefix).getJob(job.jobId);
    await eventually(async () => ((await entry?.getState()) === 'completed' ? true : undefined));
    expect(deliver.calls).toHaveLength(1);
  });

  it('retries on the row’s schedule and completes on the second attempt', async () => {
    const prefix = ctx.newPrefix();
    const job = await ctx.insertJob();
    const deliver = scriptedDeliver({
      [job.jobId]: [{ kind: 'retryable', reason: 'HTTP 500' }, { kind: 'success' }],
    });
    ctx.startWorker(prefix, deliver, {
      retryPolicy: {
        maxAttempts: 3,
        baseDelayMs: 1_000,
        multiplier: 2,
        maxDelayMs: 10_000,
        jitterRatio: 0,
      },
    });
    await ctx.producer(prefix).enqueue({ ...job, type: 'webhook' });

    const scheduled = await eventually(async () => {
      const { job: row } = await ctx.readJob(job);
      return row.status === 'pending' && row.nextAttemptAt ? row : undefined;
    });
    expect(scheduled).toMatchObject({ attempts: 1, errorMessage: 'HTTP 500' });
    const entry = await ctx.queue(prefix).getJob(job.jobId);
    expect(await entry?.getState()).toBe('delayed');

    const { job: row, deliveryAttempts } = await finished(job);
    expect(row).toMatchObject({ status: 'completed', attempts: 2, nextAttemptAt: null });
    expect(deliveryAttempts.map((a) => [a.attemptNumber, a.status, a.errorMessage])).toEqual([
      [1, 'failed', 'HTTP 500'],
      [2, 'success', null],
    ]);
    const [first, second] = deliver.calls;
    const gap = (second?.at ?? 0) - (first?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(1_000);
    expect(gap).toBeLessThan(2_500);
    // The second attempt ran when the row said it would.
    const due = scheduled.nextAttemptAt?.getTime() ?? 0;
    expect(Math.abs((second?.at ?? 0) - due)).toBeLessThan(1_000);
  });

  it('fails at once on a permanent failure and fails the queue entry', async () => {
    const prefix = ctx.newPrefix();
    const job = await ctx.insertJob();
    const reason = 'Webhook endpoint responded with HTTP 400';
    ctx.startWorker(prefix, scriptedDeliver({ [job.jobId]: [{ kind: 'permanent', reason }] }));
    await ctx.producer(prefix).enqueue({ ...job, type: 'webhook' });

    const { job: row, deliveryAttempts } = await finished(job);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, errorMessage: reason });
    expect(deliveryAttempts).toHaveLength(1);
    const entry = await eventually(async () => {
      const found = await ctx.queue(prefix).getJob(job.jobId);
      return (await found?.getState()) === 'failed' ? found : undefined;
    });
    expect(entry.failedReason).toBe(reason);
  });

  it('fails after the job’s own budget of retryable failures', async () => {
    const prefix = ctx.newPrefix();
    const job = await ctx.insertJob({ maxAttempts: 3 });
    const deliver = scriptedDeliver({ [job.jobId]: [{ kind: 'retryable', reason: 'HTTP 503' }] });
    ctx.startWorker(prefix, deliver);
    await ctx.producer(prefix).enqueue({ ...job, type: 'webhook' });

    const { job: row, deliveryAttempts } = await finished(job);
    expect(row).toMatchObject({
      status: 'failed',
      attempts: 3,
      nextAttemptAt: null,
      errorMessage: 'HTTP 503 (gave up after 3 attempts)',
    });
    expect(deliveryAttempts.map((a) => [a.attemptNumber, a.errorMessage])).toEqual([
      [1, 'HTTP 503'],
      [2, 'HTTP 503'],
      [3, 'HTTP 503'],
    ]);
    expect(deliver.calls).toHaveLength(3);
  });

  it("shows a successful attempt's note as its log entry's message", async () => {
    const prefix = ctx.newPrefix();
    const job = await ctx.insertJob();
    ctx.startWorker(prefix, async () => ({
      outcome: { kind: 'success' },
      statusCode: null,
      durationMs: 1,
      responsePrefix: null,
      providerMessageId: null,
      note: 'Not sent: development transport',
    }));
    await ctx.producer(prefix).enqueue({ ...job, type: 'webhook' });

    const { job: row, deliveryAttempts } = await finished(job);
    expect(row).toMatchObject({ status: 'completed', errorMessage: null });
    expect(deliveryAttempts.map((a) => [a.status, a.errorMessage])).toEqual([
      ['success', 'Not sent: development transport'],
    ]);
  });

  it('records a throwing deliver function as a retryable internal error', async () => {
    const prefix = ctx.newPrefix();
    const job = await ctx.insertJob({ maxAttempts: 1 });
    ctx.startWorker(prefix, async () => {
      throw new Error('secret-bearing internal detail');
    });
    await ctx.producer(prefix).enqueue({ ...job, type: 'webhook' });

    const { job: row, deliveryAttempts } = await finished(job);
    expect(row.errorMessage).toBe(
      'Delivery failed because of an internal error (gave up after 1 attempt)',
    );
    expect(deliveryAttempts[0]?.errorMessage).toBe('Delivery failed because of an internal error');
  });

  it('acknowledges a second entry for a completed job without delivering again', async () => {
    const prefix = ctx.newPrefix();
    const job = await ctx.insertJob();
    const deliver = scriptedDeliver({});
    ctx.startWorker(prefix, deliver);
    const producer = ctx.producer(prefix);
    await producer.enqueue({ ...job, type: 'webhook' });
    await finished(job);

    expect(await producer.requeue({ ...job, type: 'webhook' })).toBe(true);
    const entry = await eventually(async () => {
      const found = await ctx.queue(prefix).getJob(job.jobId);
      return found?.returnvalue ? found : undefined;
    });
    expect(entry.returnvalue).toBe('already-handled');
    expect(deliver.calls).toHaveLength(1);
    expect((await ctx.readJob(job)).deliveryAttempts).toHaveLength(1);
  });

  it('delays an entry that arrives before the job is due instead of delivering early', async () => {
    const prefix = ctx.newPrefix();
    const job = await ctx.insertJob();
    const dueInMs = 2_500;
    await ctx.query(
      'UPDATE jobs SET next_attempt_at = now() + make_interval(secs => $1) WHERE id = $2',
      [dueInMs / 1000, job.jobId],
    );
    const { job: before } = await ctx.readJob(job);
    const due = before.nextAttemptAt?.getTime() ?? 0;
    const deliver = scriptedDeliver({});
    ctx.startWorker(prefix, deliver);
    await ctx.producer(prefix).enqueue({ ...job, type: 'webhook' });

    const entry = await ctx.queue(prefix).getJob(job.jobId);
    await eventually(async () => ((await entry?.getState()) === 'delayed' ? true : undefined));
    expect(deliver.calls).toHaveLength(0);

    await finished(job);
    expect(deliver.calls).toHaveLength(1);
    expect(deliver.calls[0]?.at).toBeGreaterThanOrEqual(due - EARLY_CLAIM_TOLERANCE_MS);
  });
});
