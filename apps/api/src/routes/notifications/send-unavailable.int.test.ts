import { newId, type PlanName } from '@notifykit/core';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/test-app.ts';
import { generateApiKey } from '../../auth/api-key-material.ts';
import { failJob, insertJob } from '../jobs/job-test-helpers.ts';
import { EMAIL_REQUEST, postSend, WEBHOOK_REQUEST } from './send-test-helpers.ts';

// Nothing listens on port 1: connections are refused at once, like a Redis or Postgres that
// is down.
const redisDown = useTestApp({ REDIS_URL: 'redis://127.0.0.1:1' });
const postgresDown = useTestApp({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/notifykit' });
const healthy = useTestApp();

const UNAVAILABLE = 'Service temporarily unavailable';

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

describe('with Redis down', () => {
  it.each(['free', 'enterprise'] as PlanName[])(
    'answers a %s send with 503 within 3 s and stores nothing',
    async (plan) => {
      const { customer, apiKey } = await redisDown.createCustomer({ plan });
      const { result: response, ms } = await timed(() =>
        postSend(redisDown, apiKey, 'email', EMAIL_REQUEST),
      );
      expect(ms).toBeLessThan(3_000);
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({
        success: false,
        error: UNAVAILABLE,
        timestamp: expect.any(String),
      });
      const stored = await redisDown.deps.repositories.jobs.listForCustomer(customer.id, {
        page: 1,
        limit: 10,
      });
      expect(stored.total).toBe(0);
    },
  );

  it('still retries a failed job: Postgres holds it and the sweeper queues it', async () => {
    const { customer, apiKey } = await redisDown.createCustomer({ plan: 'enterprise' });
    const job = await insertJob(redisDown, customer.id, 'webhook');
    await failJob(redisDown, job.id);
    const { result: response, ms } = await timed(() =>
      redisDown.app.inject({
        method: 'POST',
        url: `/api/v1/notifications/jobs/${job.id}/retry`,
        headers: { 'x-api-key': apiKey },
      }),
    );
    expect(ms).toBeLessThan(3_000);
    expect(response.statusCode).toBe(200);
    const stored = await redisDown.deps.repositories.jobs.findForCustomer(customer.id, job.id);
    expect(stored?.job.status).toBe('pending');
  });
});

describe('with Postgres down', () => {
  it('answers a send with 503 within 3 s', async () => {
    // The key lookup would fail first; a cached lookup lets the request reach the send path.
    const key = generateApiKey();
    const now = new Date();
    const customerId = newId('cus');
    postgresDown.deps.authCache.set(key.keyHash, {
      apiKey: {
        id: newId('key'),
        customerId,
        lastFour: key.lastFour,
        createdAt: now,
        revokedAt: null,
        lastUsedAt: now,
      },
      customer: {
        id: customerId,
        name: 'Cached',
        email: 'cached@customer.test',
        plan: 'free',
        isActive: true,
        monthlyQuota: null,
        rateLimitPerMinute: null,
        sendgridKey: null,
        createdAt: now,
        updatedAt: now,
      },
    });
    const { result: response, ms } = await timed(() =>
      postSend(postgresDown, key.plaintext, 'webhook', WEBHOOK_REQUEST),
    );
    expect(ms).toBeLessThan(3_000);
    expect(response.statusCode).toBe(503);
    expect(response.json().error).toBe(UNAVAILABLE);
  });
});

describe('when only the queue write fails', () => {
  it('still answers 202: the job is stored and the sweeper will queue it', async () => {
    const { customer, apiKey } = await healthy.createCustomer({ plan: 'enterprise' });
    // A queue key of the wrong type makes BullMQ's add script fail while Redis is up.
    const metaKey = `${healthy.deps.env.REDIS_PREFIX}:notifykit-webhook:meta`;
    await healthy.deps.redis.set(metaKey, 'not-a-hash');
    try {
      const response = await postSend(healthy, apiKey, 'webhook', WEBHOOK_REQUEST);
      expect(response.statusCode).toBe(202);
      const jobId = response.json().data.jobId;
      const stored = await healthy.deps.repositories.jobs.findForCustomer(customer.id, jobId);
      expect(stored?.job.status).toBe('pending');
      const queued = await healthy.deps.redis.exists(
        `${healthy.deps.env.REDIS_PREFIX}:notifykit-webhook:${jobId}`,
      );
      expect(queued).toBe(0);
    } finally {
      await healthy.deps.redis.del(metaKey);
    }
  });
});
