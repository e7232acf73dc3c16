import { newId } from '@notifykit/core';
import { useTestRedis } from '@notifykit/testing';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobProducer, type JobProducer } from './job-producer.ts';
import { QUEUE_NAMES } from './queue-names.ts';
import { createProducerRedis } from './redis-connections.ts';

const redis = useTestRedis();
let producer: JobProducer;
let webhookQueue: Queue;
let connection: ReturnType<typeof createProducerRedis>;

beforeAll(() => {
  connection = createProducerRedis(redis.url);
  producer = createJobProducer({ connection, prefix: redis.bullmqPrefix });
  webhookQueue = new Queue(QUEUE_NAMES.webhook, { connection, prefix: redis.bullmqPrefix });
});

afterAll(async () => {
  await webhookQueue.close();
  await producer.close();
  await connection.quit();
});

describe('job producer', () => {
  it('enqueues with our job id, the priority, and ids-only data', async () => {
    const jobId = newId('job');
    await producer.enqueue({ jobId, customerId: 'cus_x', type: 'webhook', priority: 1 });
    const entry = await webhookQueue.getJob(jobId);
    expect(entry?.id).toBe(jobId);
    expect(entry?.opts.priority).toBe(1);
    expect(entry?.data).toEqual({ jobId, customerId: 'cus_x' });
    // Every key lives under this file's prefix.
    const keys = await redis.client.keys(`${redis.prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
  });

  it('ignores a duplicate enqueue of the same job id', async () => {
    const jobId = newId('job');
    await producer.enqueue({ jobId, customerId: 'cus_x', type: 'webhook', priority: 5 });
    await producer.enqueue({ jobId, customerId: 'cus_x', type: 'webhook', priority: 5 });
    const waiting = await webhookQueue.getJobs(['waiting', 'prioritized']);
    expect(waiting.filter((job) => job.id === jobId)).toHaveLength(1);
  });

  it('counts entries per queue and state', async () => {
    // Only this test uses the email queue, so its counts are exact.
    for (const priority of [1, 5] as const) {
      await producer.enqueue({ jobId: newId('job'), customerId: 'cus_x', type: 'email', priority });
    }
    await producer.enqueue({
      jobId: newId('job'),
      customerId: 'cus_x',
      type: 'email',
      priority: 5,
      delayMs: 60_000,
    });
    const counts = await producer.counts();
    expect(counts.email).toEqual({
      waiting: 0,
      prioritized: 2,
      delayed: 1,
      active: 0,
      completed: 0,
      failed: 0,
    });
    expect(Object.keys(counts.webhook)).toEqual(Object.keys(counts.email));
  });

  it('requeue leaves a live (waiting) entry alone instead of duplicating it', async () => {
    const jobId = newId('job');
    await producer.enqueue({ jobId, customerId: 'cus_x', type: 'webhook', priority: 5 });
    expect(
      await producer.requeue({ jobId, customerId: 'cus_x', type: 'webhook', priority: 10 }),
    ).toBe(false);
    const live = await webhookQueue.getJob(jobId);
    expect(live?.opts.priority).toBe(5);
    const waiting = await webhookQueue.getJobs(['waiting', 'prioritized']);
    expect(waiting.filter((job) => job.id === jobId)).toHaveLength(1);
  });
});
