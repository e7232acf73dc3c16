import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useWorkerHarness } from '../test/worker-harness.ts';

const harness = useWorkerHarness();
const { receiver } = harness;

/** A path of its own per test, so scripted replies never leak between tests. */
const freshPath = () => `/hooks/${randomBytes(4).toString('hex')}`;

describe('webhook delivery outcomes', () => {
  it('200: completed with one delivery log', async () => {
    const path = freshPath();
    receiver.script(path, { status: 200, body: '{"received":true}' });
    const worker = harness.startWorker();
    const job = await worker.send({
      customerId: await harness.createCustomer(),
      url: receiver.url(path),
    });

    const { job: row, deliveryAttempts } = await harness.settled(job);
    expect(row).toMatchObject({ status: 'completed', attempts: 1, errorMessage: null });
    expect(deliveryAttempts).toHaveLength(1);
    expect(deliveryAttempts[0]).toMatchObject({
      attemptNumber: 1,
      status: 'success',
      statusCode: 200,
      errorMessage: null,
      responsePrefix: '{"received":true}',
    });
    expect(receiver.requestsTo(path)).toHaveLength(1);
  });

  it('500 then 200: completed after 2 attempts, the retry scheduled in between', async () => {
    const path = freshPath();
    receiver.script(path, { status: 500, body: 'boom' }, { status: 200 });
    const worker = harness.startWorker({ RETRY_BASE_DELAY_MS: '1000' });
    const job = await worker.send({
      customerId: await harness.createCustomer(),
      url: receiver.url(path),
    });

    await receiver.waitForRequests(path, 1);
    const scheduled = await waitForRow(job, (row) => row.status === 'pending' && row.nextAttemptAt);
    expect(scheduled).toMatchObject({
      attempts: 1,
      errorMessage: 'Webhook endpoint responded with HTTP 500',
    });

    const { job: row, deliveryAttempts } = await harness.settled(job);
    expect(row).toMatchObject({ status: 'completed', attempts: 2, nextAttemptAt: null });
    expect(deliveryAttempts.map((a) => [a.attemptNumber, a.status, a.statusCode])).toEqual([
      [1, 'failed', 500],
      [2, 'success', 200],
    ]);
    expect(deliveryAttempts[0]?.responsePrefix).toBe('boom');
    const [first, second] = receiver.requestsTo(path);
    const due = scheduled.nextAttemptAt?.getTime() ?? 0;
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect(Math.abs((second?.receivedAt ?? 0) - due)).toBeLessThan(1_000);
  });

  it('400: failed after 1 attempt, naming the status', async () => {
    const path = freshPath();
    receiver.script(path, { status: 400 });
    const worker = harness.startWorker();
    const job = await worker.send({
      customerId: await harness.createCustomer(),
      url: receiver.url(path),
    });

    const { job: row, deliveryAttempts } = await harness.settled(job);
    expect(row).toMatchObject({
      status: 'failed',
      attempts: 1,
      errorMessage: 'Webhook endpoint responded with HTTP 400',
    });
    expect(deliveryAttempts.map((a) => a.statusCode)).toEqual([400]);
  });

  it('3 × 503: failed with 3 logs', async () => {
    const path = freshPath();
    receiver.script(path, { status: 503 });
    const worker = harness.startWorker();
    const job = await worker.send({
      customerId: await harness.createCustomer(),
      url: receiver.url(path),
    });

    const { job: row, deliveryAttempts } = await harness.settled(job);
    expect(row).toMatchObject({
      status: 'failed',
      attempts: 3,
      errorMessage: 'Webhook endpoint responded with HTTP 503 (gave up after 3 attempts)',
    });
    expect(deliveryAttempts.map((a) => [a.attemptNumber, a.status, a.statusCode])).toEqual([
      [1, 'failed', 503],
      [2, 'failed', 503],
      [3, 'failed', 503],
    ]);
    expect(receiver.requestsTo(path)).toHaveLength(3);
  });

  it('429 with Retry-After: 2 waits at least 2 s before the next attempt', async () => {
    const path = freshPath();
    receiver.script(path, { status: 429, headers: { 'Retry-After': '2' } }, { status: 204 });
    const worker = harness.startWorker();
    const job = await worker.send({
      customerId: await harness.createCustomer(),
      url: receiver.url(path),
    });

    await receiver.waitForRequests(path, 1);
    const scheduled = await waitForRow(job, (row) => row.status === 'pending' && row.nextAttemptAt);
    const { job: row } = await harness.settled(job);
    expect(row).toMatchObject({ status: 'completed', attempts: 2 });
    const [first, second] = receiver.requestsTo(path);
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(2_000);
    expect(
      (scheduled.nextAttemptAt?.getTime() ?? 0) - (first?.receivedAt ?? 0),
    ).toBeGreaterThanOrEqual(1_990);
  });

  it('301: fails without following the redirect', async () => {
    const path = freshPath();
    const target = `${path}/moved`;
    receiver.script(path, { status: 301, headers: { Location: receiver.url(target) } });
    const worker = harness.startWorker();
    const job = await worker.send({
      customerId: await harness.createCustomer(),
      url: receiver.url(path),
    });

    const { job: row, deliveryAttempts } = await harness.settled(job);
    expect(row).toMatchObject({
      status: 'failed',
      attempts: 1,
      errorMessage: 'Webhook endpoint responded with HTTP 301; redirects are not followed',
    });
    expect(deliveryAttempts.map((a) => a.statusCode)).toEqual([301]);
    expect(receiver.requestsTo(target)).toHaveLength(0);
  });

  it('an endpoint that never answers: a timeout failure with a clear message', async () => {
    const path = freshPath();
    receiver.script(path, { hang: true });
    const worker = harness.startWorker({ WEBHOOK_TIMEOUT_MS: '1000' });
    const job = await worker.send({
      customerId: await harness.createCustomer(),
      url: receiver.url(path),
      maxAttempts: 1,
    });

    const { job: row, deliveryAttempts } = await harness.settled(job);
    expect(row).toMatchObject({
      status: 'failed',
      errorMessage:
        'Webhook request timed out: no response within 1000 ms (gave up after 1 attempt)',
    });
    expect(deliveryAttempts[0]).toMatchObject({
      statusCode: null,
      errorMessage: 'Webhook request timed out: no response within 1000 ms',
    });
    expect(deliveryAttempts[0]?.durationMs).toBeGreaterThanOrEqual(1_000);
    expect(deliveryAttempts[0]?.durationMs).toBeLessThan(3_000);
  });

  it('a 10 MB response: only the capped part is read, a 1 KiB prefix is kept', async () => {
    const path = freshPath();
    const tenMegabytes = 10 * 1024 * 1024;
    receiver.script(path, { status: 200, streamBytes: tenMegabytes });
    const worker = harness.startWorker();
    const job = await worker.send({
      customerId: await harness.createCustomer(),
      url: receiver.url(path),
    });

    const { job: row, deliveryAttempts } = await harness.settled(job);
    expect(row.status).toBe('completed');
    expect(deliveryAttempts[0]?.responsePrefix).toBe('x'.repeat(1024));
    const [request] = receiver.requestsTo(path);
    await waitFor(() => request?.reply !== null);
    // The worker hung up: the receiver could not send the whole body.
    expect(request?.reply?.finished).toBe(false);
    expect(request?.reply?.bytesWritten).toBeLessThan(tenMegabytes);
  });
});

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function waitForRow(
  job: { jobId: string; customerId: string },
  predicate: (row: Awaited<ReturnType<typeof harness.readJob>>['job']) => unknown,
) {
  for (let i = 0; i < 500; i++) {
    const { job: row } = await harness.readJob(job);
    if (predicate(row)) return row;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`job ${job.jobId} never matched`);
}
