import { monthlyQuotaPeriod, newId } from '@notifykit/core';
import { QUEUE_NAMES } from '@notifykit/queue';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/test-app.ts';
import { customerPlanLimits } from '../../services/customer-limits.ts';
import { postSend, WEBHOOK_REQUEST } from '../notifications/send-test-helpers.ts';
import { failJob, insertJob, runAttempt, startJob } from './job-test-helpers.ts';

const t = useTestApp();

const CANNOT_RETRY = 'Job not found or cannot be retried (must be in failed status)';
const SENDGRID_KEY_MISSING = 'Please add your SendGrid API key in settings before sending emails.';

function retry(apiKey: string, jobId: string, extra: { headers?: Record<string, string> } = {}) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/notifications/jobs/${jobId}/retry`,
    headers: { 'x-api-key': apiKey, ...extra.headers },
  });
}

async function statusOf(customerId: string, jobId: string) {
  return (await t.deps.repositories.jobs.findForCustomer(customerId, jobId))?.job.status;
}

describe('POST /api/v1/notifications/jobs/:jobId/retry', () => {
  it('re-queues a failed job with a fresh budget, keeping its history, free of charge', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'free', monthlyQuota: 5 });
    const sent = await postSend(t, apiKey, 'webhook', WEBHOOK_REQUEST);
    const jobId: string = sent.json().data.jobId;
    await failJob(t, jobId);
    const quotaKey = t.deps.monthlyQuota.counterKey(
      customer.id,
      customerPlanLimits(customer),
      monthlyQuotaPeriod(),
    );
    expect(await t.deps.redis.get(quotaKey)).toBe('1');

    // The SDK sends Content-Type: application/json even without a body.
    const response = await retry(apiKey, jobId, {
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      success: true,
      data: { jobId, status: 'pending', message: 'Job has been re-queued for processing' },
      timestamp: expect.any(String),
    });

    const stored = await t.deps.repositories.jobs.findForCustomer(customer.id, jobId);
    expect(stored?.job).toMatchObject({ status: 'pending', attempts: 0, errorMessage: null });
    expect(stored?.deliveryAttempts.map((a) => a.attemptNumber)).toEqual([1]);
    expect(await t.deps.redis.get(quotaKey)).toBe('1');
    expect(await t.deps.repositories.usage.get(customer.id)).toMatchObject({ webhookCount: 1 });

    const queue = new Queue(QUEUE_NAMES.webhook, {
      connection: t.deps.redis,
      prefix: t.deps.env.REDIS_PREFIX,
    });
    try {
      const entry = await queue.getJob(jobId);
      expect(entry?.data).toEqual({ jobId, customerId: customer.id });
    } finally {
      await queue.close();
    }

    // Attempt numbers continue after the retry instead of starting over.
    await runAttempt(t, jobId, { kind: 'completed', statusCode: 200 });
    const after = await t.deps.repositories.jobs.findForCustomer(customer.id, jobId);
    expect(after?.deliveryAttempts.map((a) => a.attemptNumber)).toEqual([1, 2]);
  });

  it('accepts an empty JSON object as the body too', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'enterprise' });
    const job = await insertJob(t, customer.id, 'webhook');
    await failJob(t, job.id);
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/notifications/jobs/${job.id}/retry`,
      headers: { 'x-api-key': apiKey },
      payload: {},
    });
    expect(response.statusCode).toBe(200);
  });

  it('answers 404 for every job that is not failed, and leaves it alone', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'enterprise' });
    const pending = await insertJob(t, customer.id, 'webhook');
    const processing = await insertJob(t, customer.id, 'webhook');
    await startJob(t, processing.id);
    const completed = await insertJob(t, customer.id, 'email');
    await runAttempt(t, completed.id, { kind: 'completed', statusCode: 202 });

    for (const [job, status] of [
      [pending, 'pending'],
      [processing, 'processing'],
      [completed, 'completed'],
    ] as const) {
      const response = await retry(apiKey, job.id);
      expect(response.statusCode).toBe(404);
      expect(response.json().error).toBe(CANNOT_RETRY);
      expect(await statusOf(customer.id, job.id)).toBe(status);
    }
  });

  it("answers 404 for another customer's, unknown and malformed ids", async () => {
    const owner = await t.createCustomer({ plan: 'enterprise' });
    const stranger = await t.createCustomer({ plan: 'enterprise' });
    const job = await insertJob(t, owner.customer.id, 'webhook');
    await failJob(t, job.id);

    for (const id of [job.id, newId('job'), 'job_123', 'garbage', `job_${'a'.repeat(5000)}`]) {
      const response = await retry(stranger.apiKey, id);
      expect({ id, status: response.statusCode, error: response.json().error }).toEqual({
        id,
        status: 404,
        error: CANNOT_RETRY,
      });
    }
    expect(await statusOf(owner.customer.id, job.id)).toBe('failed');
  });

  it('lets exactly one of two concurrent retries win', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'enterprise' });
    for (let round = 0; round < 5; round++) {
      const job = await insertJob(t, customer.id, 'webhook');
      await failJob(t, job.id);
      const responses = await Promise.all([retry(apiKey, job.id), retry(apiKey, job.id)]);
      expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 404]);
      const loser = responses.find((r) => r.statusCode === 404);
      expect(loser?.json().error).toBe(CANNOT_RETRY);
    }
  });

  it('asks an indie customer without a SendGrid key to add one before retrying email', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'indie' });
    const email = await insertJob(t, customer.id, 'email');
    await failJob(t, email.id);
    const refused = await retry(apiKey, email.id);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ success: false, error: SENDGRID_KEY_MISSING });
    expect(await statusOf(customer.id, email.id)).toBe('failed');

    // Other jobs keep their usual answers: webhooks retry, non-failed emails are a 404.
    const webhook = await insertJob(t, customer.id, 'webhook');
    await failJob(t, webhook.id);
    expect((await retry(apiKey, webhook.id)).statusCode).toBe(200);
    const done = await insertJob(t, customer.id, 'email');
    await runAttempt(t, done.id, { kind: 'completed', statusCode: 202 });
    expect((await retry(apiKey, done.id)).json().error).toBe(CANNOT_RETRY);

    await t.deps.repositories.customers.setSendgridKey(customer.id, {
      ciphertext: 'v1:test:ciphertext',
      lastFour: 'k3y9',
    });
    t.deps.authCache.evictCustomer(customer.id);
    expect((await retry(apiKey, email.id)).statusCode).toBe(200);
  });
});
