import { parseId } from '@notifykit/core';
import { QUEUE_NAMES } from '@notifykit/queue';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/test-app.ts';
import { dumpRedis, EMAIL_REQUEST, postSend, WEBHOOK_REQUEST } from './send-test-helpers.ts';

// A retry budget other than the default proves maxAttempts comes from RETRY_MAX_ATTEMPTS.
const t = useTestApp({ RETRY_MAX_ATTEMPTS: '4' });

const SENDGRID_KEY_MISSING = 'Please add your SendGrid API key in settings before sending emails.';

async function storedJob(customerId: string, jobId: string) {
  const found = await t.deps.repositories.jobs.findForCustomer(customerId, jobId);
  if (!found) throw new Error(`job ${jobId} was not stored`);
  return found.job;
}

describe('POST /api/v1/notifications/email', () => {
  it('stores a pending job, answers 202 with its id, and queues ids only', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'free' });
    const response = await postSend(t, apiKey, 'email', EMAIL_REQUEST);

    expect(response.statusCode).toBe(202);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['data', 'success', 'timestamp']);
    expect(body.success).toBe(true);
    const { jobId } = body.data;
    expect(parseId(jobId, 'job')).not.toBeNull();
    expect(response.headers['idempotent-replayed']).toBeUndefined();

    const job = await storedJob(customer.id, jobId);
    expect(body.data).toEqual({
      jobId,
      status: 'pending',
      type: 'email',
      createdAt: job.createdAt.toISOString(),
    });
    expect(job).toMatchObject({
      type: 'email',
      status: 'pending',
      priority: 5,
      attempts: 0,
      maxAttempts: 4,
      payload: { ...EMAIL_REQUEST, from: null },
      idempotencyKey: null,
    });

    const queue = new Queue(QUEUE_NAMES.email, {
      connection: t.deps.redis,
      prefix: t.deps.env.REDIS_PREFIX,
    });
    try {
      const entry = await queue.getJob(jobId);
      expect(entry?.data).toEqual({ jobId, customerId: customer.id });
      expect(entry?.opts.priority).toBe(5);
    } finally {
      await queue.close();
    }
    const everything = await dumpRedis(t.deps.redis, `${t.deps.env.REDIS_PREFIX}:`);
    expect(everything).toContain(jobId);
    for (const secret of [EMAIL_REQUEST.to, EMAIL_REQUEST.subject, EMAIL_REQUEST.body]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('keeps the requested priority and a custom from on a paid plan', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'enterprise' });
    const response = await postSend(t, apiKey, 'email', {
      ...EMAIL_REQUEST,
      from: 'billing@shop.example.com',
      priority: 1,
      provider: 'SENDGRID',
    });
    expect(response.statusCode).toBe(202);
    const job = await storedJob(customer.id, response.json().data.jobId);
    expect(job.priority).toBe(1);
    expect(job.payload).toEqual({ ...EMAIL_REQUEST, from: 'billing@shop.example.com' });
  });

  it('refuses a custom from address on the free plan', async () => {
    const { apiKey } = await t.createCustomer({ plan: 'free' });
    const response = await postSend(t, apiKey, 'email', {
      ...EMAIL_REQUEST,
      from: 'me@shop.example.com',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('Custom from addresses require a paid plan');
  });

  it.each(['indie', 'startup'] as const)(
    'asks a %s customer without a SendGrid key to add one, and accepts once it is stored',
    async (plan) => {
      const { customer, apiKey } = await t.createCustomer({ plan });
      const refused = await postSend(t, apiKey, 'email', EMAIL_REQUEST);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ success: false, error: SENDGRID_KEY_MISSING });
      const listed = await t.deps.repositories.jobs.listForCustomer(customer.id, {
        page: 1,
        limit: 10,
      });
      expect(listed.total).toBe(0);

      // Webhooks never need the key.
      expect((await postSend(t, apiKey, 'webhook', WEBHOOK_REQUEST)).statusCode).toBe(202);

      await t.deps.repositories.customers.setSendgridKey(customer.id, {
        ciphertext: 'v1:test:ciphertext',
        lastFour: 'abcd',
      });
      t.deps.authCache.evictCustomer(customer.id);
      expect((await postSend(t, apiKey, 'email', EMAIL_REQUEST)).statusCode).toBe(202);
    },
  );

  it('names the field in validation errors and lists every problem', async () => {
    const { apiKey } = await t.createCustomer({ plan: 'enterprise' });
    const missing = await postSend(t, apiKey, 'email', { to: 'not-an-address' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toBe('subject is required');
    expect(missing.json().details).toEqual([
      { field: 'subject', message: 'subject is required' },
      { field: 'body', message: 'body is required' },
      { field: 'to', message: 'to must be a valid email address' },
    ]);

    const unknown = await postSend(t, apiKey, 'email', { ...EMAIL_REQUEST, cc: 'x@example.com' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toBe('cc is not an allowed property');

    const provider = await postSend(t, apiKey, 'email', { ...EMAIL_REQUEST, provider: 'SES' });
    expect(provider.statusCode).toBe(400);
    expect(provider.json().error).toBe('provider must be SENDGRID');

    const priority = await postSend(t, apiKey, 'email', { ...EMAIL_REQUEST, priority: 3 });
    expect(priority.statusCode).toBe(400);
    expect(priority.json().error).toBe('priority must be one of 1, 5, 10');

    const undeliverable = await postSend(t, apiKey, 'email', { ...EMAIL_REQUEST, to: 'a@b' });
    expect(undeliverable.statusCode).toBe(400);
    expect(undeliverable.json().details).toEqual([
      { field: 'to', message: 'to must be a valid email address' },
    ]);

    const injected = await postSend(t, apiKey, 'email', {
      ...EMAIL_REQUEST,
      subject: 'Hi\r\nBcc: x@evil.example',
    });
    expect(injected.statusCode).toBe(400);
    expect(injected.json().error).toBe('subject must not contain line breaks');
  });
});

describe('POST /api/v1/notifications/webhook', () => {
  it('stores the request with defaults applied and queues it on the webhook queue', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'startup' });
    const response = await postSend(t, apiKey, 'webhook', {
      ...WEBHOOK_REQUEST,
      headers: { Authorization: 'Bearer receiver-token' },
      priority: 10,
    });
    expect(response.statusCode).toBe(202);
    const { jobId, type, status } = response.json().data;
    expect({ type, status }).toEqual({ type: 'webhook', status: 'pending' });
    const job = await storedJob(customer.id, jobId);
    expect(job.payload).toEqual({
      url: WEBHOOK_REQUEST.url,
      method: 'POST',
      headers: { Authorization: 'Bearer receiver-token' },
      payload: WEBHOOK_REQUEST.payload,
    });
    expect(job.priority).toBe(10);

    const queue = new Queue(QUEUE_NAMES.webhook, {
      connection: t.deps.redis,
      prefix: t.deps.env.REDIS_PREFIX,
    });
    try {
      const entry = await queue.getJob(jobId);
      expect(entry?.data).toEqual({ jobId, customerId: customer.id });
      expect(entry?.opts.priority).toBe(10);
    } finally {
      await queue.close();
    }
    const everything = await dumpRedis(t.deps.redis, `${t.deps.env.REDIS_PREFIX}:`);
    expect(everything).not.toContain('receiver-token');
    expect(everything).not.toContain('hooks.example.com');
  });

  it('refuses unsafe destinations, reserved headers and oversized payloads', async () => {
    const { apiKey } = await t.createCustomer({ plan: 'enterprise' });
    const cases: [Record<string, unknown>, string][] = [
      [{ ...WEBHOOK_REQUEST, url: 'http://hooks.example.com/x' }, 'url must start with https://'],
      [
        { ...WEBHOOK_REQUEST, url: 'https://user:pw@hooks.example.com/x' },
        'url must not contain a username or password',
      ],
      [
        { ...WEBHOOK_REQUEST, headers: { 'Content-Type': 'text/plain' } },
        'headers.Content-Type is set by NotifyKit and cannot be overridden',
      ],
      [
        { ...WEBHOOK_REQUEST, payload: { blob: 'x'.repeat(64 * 1024) } },
        'payload must serialize to at most 65536 bytes of JSON',
      ],
      [{ ...WEBHOOK_REQUEST, payload: [1, 2] }, 'payload must be an object'],
      [
        { ...WEBHOOK_REQUEST, method: 'TRACE' },
        'method must be one of GET, POST, PUT, PATCH, DELETE',
      ],
    ];
    for (const [body, error] of cases) {
      const response = await postSend(t, apiKey, 'webhook', body);
      expect({ status: response.statusCode, error: response.json().error }).toEqual({
        status: 400,
        error,
      });
    }
  });

  it('refuses a literal private address', async () => {
    const { apiKey } = await t.createCustomer({ plan: 'enterprise' });
    const response = await postSend(t, apiKey, 'webhook', {
      ...WEBHOOK_REQUEST,
      url: 'https://127.0.0.1/hook',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().details[0].field).toBe('url');
  });
});
