import { QUEUE_NAMES } from '@notifykit/queue';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { useWorkerHarness } from '../test/worker-harness.ts';

const harness = useWorkerHarness();
const { receiver } = harness;
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

function webhookQueue(prefix: string): Queue {
  const connection = new Redis(harness.redisUrl, { maxRetriesPerRequest: 1 });
  const queue = new Queue(QUEUE_NAMES.webhook, { connection, prefix });
  closers.push(async () => {
    await queue.close();
    connection.disconnect();
  });
  return queue;
}

async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('nothing is lost, nothing is delivered twice', () => {
  it('delivers a job whose queue entry was deleted, once, and ignores a later duplicate entry', async () => {
    const prefix = harness.newPrefix();
    const sender = harness.sender(prefix);
    const job = await sender.send({
      customerId: await harness.createCustomer(),
      url: receiver.url('/lost'),
    });
    const queue = webhookQueue(prefix);
    await queue.remove(job.jobId);
    expect(await queue.getJob(job.jobId)).toBeUndefined();

    harness.startWorker({ SWEEPER_INTERVAL_MS: '200', SWEEPER_PENDING_GRACE_MS: '0' }, { prefix });
    const { job: row, deliveryAttempts } = await harness.settled(job);
    expect(row.status).toBe('completed');
    expect(deliveryAttempts).toHaveLength(1);
    expect(receiver.requestsTo('/lost')).toHaveLength(1);

    // A stray second entry with the same jobId (a late sweeper pass, a replayed add).
    expect(await sender.producer.requeue({ ...job, type: 'webhook', priority: 5 })).toBe(true);
    const entry = await until(async () => {
      const found = await queue.getJob(job.jobId);
      return found?.returnvalue === 'already-handled' ? found : undefined;
    });
    expect(entry.returnvalue).toBe('already-handled');
    expect(receiver.requestsTo('/lost')).toHaveLength(1);
    expect((await harness.readJob(job)).deliveryAttempts).toHaveLength(1);
  });
});
