import { describe, expect, it } from 'vitest';
import { useWorkerHarness } from '../test/worker-harness.ts';

const harness = useWorkerHarness();
const { receiver } = harness;

describe('shutdown past the grace period', () => {
  it('aborts the active delivery, records it as interrupted and schedules a retry', async () => {
    receiver.script('/too-slow', { status: 200, delayMs: 10_000 });
    const worker = harness.startWorker({ SHUTDOWN_GRACE_MS: '300', WEBHOOK_TIMEOUT_MS: '20000' });
    const job = await worker.send({
      customerId: await harness.createCustomer(),
      url: receiver.url('/too-slow'),
    });
    await receiver.waitForRequests('/too-slow', 1);

    const started = Date.now();
    await worker.runtime.close();
    expect(Date.now() - started).toBeLessThan(3_000);

    const { job: row, deliveryAttempts } = await harness.readJob(job);
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 1,
      errorMessage: 'Webhook request failed: interrupted because the worker shut down',
    });
    expect(row.nextAttemptAt).toBeInstanceOf(Date);
    expect(deliveryAttempts.map((a) => [a.attemptNumber, a.status, a.statusCode])).toEqual([
      [1, 'failed', null],
    ]);
    expect(worker.runtime.activeCount()).toBe(0);
  });
});
