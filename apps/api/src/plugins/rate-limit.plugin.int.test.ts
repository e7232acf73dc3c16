import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/test-app.ts';
import { createRateLimiter } from '../limits/rate-limiter.ts';
import {
  EMAIL_REQUEST,
  postSend,
  WEBHOOK_REQUEST,
} from '../routes/notifications/send-test-helpers.ts';

const t = useTestApp();

function listJobs(apiKey: string) {
  return t.app.inject({
    method: 'GET',
    url: '/api/v1/notifications/jobs',
    headers: { 'x-api-key': apiKey },
  });
}

function rateHeaders(response: { headers: Record<string, unknown> }) {
  return {
    limit: response.headers['ratelimit-limit'],
    remaining: response.headers['ratelimit-remaining'],
  };
}

function integerHeader(response: { headers: Record<string, unknown> }, name: string): number {
  const value = String(response.headers[name]);
  expect(value).toMatch(/^\d+$/);
  return Number(value);
}

describe('rate limits', () => {
  it('refuses the (n+1)th send within a minute with 429 and tells when to come back', async () => {
    const limited = await t.createCustomer({ plan: 'free', rateLimitPerMinute: 3 });
    const other = await t.createCustomer({ plan: 'free', rateLimitPerMinute: 3 });

    const accepted = [];
    for (let i = 0; i < 3; i++)
      accepted.push(await postSend(t, limited.apiKey, 'webhook', WEBHOOK_REQUEST));
    expect(accepted.map((r) => r.statusCode)).toEqual([202, 202, 202]);
    expect(accepted.map(rateHeaders)).toEqual([
      { limit: '3', remaining: '2' },
      { limit: '3', remaining: '1' },
      { limit: '3', remaining: '0' },
    ]);
    const reset = integerHeader(accepted[2] as (typeof accepted)[number], 'ratelimit-reset');
    expect(reset).toBeGreaterThanOrEqual(59);
    expect(reset).toBeLessThanOrEqual(60);

    const refused = await postSend(t, limited.apiKey, 'email', EMAIL_REQUEST);
    expect(refused.statusCode).toBe(429);
    const retryAfter = integerHeader(refused, 'retry-after');
    expect(retryAfter).toBeGreaterThanOrEqual(19);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(refused.json()).toEqual({
      success: false,
      error: 'Rate limit exceeded',
      retryAfter,
      timestamp: expect.any(String),
    });
    expect(rateHeaders(refused)).toEqual({ limit: '3', remaining: '0' });
    integerHeader(refused, 'ratelimit-reset');

    // Nothing was stored for the refused request, and other customers are unaffected.
    const stored = await t.deps.repositories.jobs.listForCustomer(limited.customer.id, {
      page: 1,
      limit: 10,
    });
    expect(stored.total).toBe(3);
    const unaffected = await postSend(t, other.apiKey, 'webhook', WEBHOOK_REQUEST);
    expect(unaffected.statusCode).toBe(202);
    expect(rateHeaders(unaffected)).toEqual({ limit: '3', remaining: '2' });
  });

  it('gives reads their own bucket, ten times the send bucket', async () => {
    const { apiKey } = await t.createCustomer({ plan: 'free', rateLimitPerMinute: 2 });
    for (let i = 0; i < 2; i++) await postSend(t, apiKey, 'webhook', WEBHOOK_REQUEST);
    expect((await postSend(t, apiKey, 'webhook', WEBHOOK_REQUEST)).statusCode).toBe(429);

    const reads = [];
    for (let i = 0; i < 20; i++) reads.push(await listJobs(apiKey));
    expect(reads.every((r) => r.statusCode === 200)).toBe(true);
    expect(rateHeaders(reads[0] as (typeof reads)[number])).toEqual({
      limit: '20',
      remaining: '19',
    });
    const refused = await listJobs(apiKey);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toBe('Rate limit exceeded');
  });

  it('sends the headers on error answers of limited routes too', async () => {
    const { apiKey } = await t.createCustomer({ plan: 'free' });
    const invalid = await postSend(t, apiKey, 'email', { to: 'x' });
    expect(invalid.statusCode).toBe(400);
    expect(rateHeaders(invalid)).toEqual({ limit: '5', remaining: '4' });

    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/v1/notifications/jobs/job_unknown',
      headers: { 'x-api-key': apiKey },
    });
    expect(missing.statusCode).toBe(404);
    expect(rateHeaders(missing)).toEqual({ limit: '50', remaining: '49' });
  });

  it('shares one budget between API replicas through Redis', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'free', rateLimitPerMinute: 2 });
    // A second limiter over the same Redis prefix stands in for another API process.
    const otherReplica = createRateLimiter(t.deps.redis, t.deps.redisKeyPrefix);
    await otherReplica.consume(customer.id, 'send', 2);
    await otherReplica.consume(customer.id, 'send', 2);
    const refused = await postSend(t, apiKey, 'webhook', WEBHOOK_REQUEST);
    expect(refused.statusCode).toBe(429);
  });

  it('does not limit unlimited plans and blocks a customer whose override is 0', async () => {
    const unlimited = await t.createCustomer({ plan: 'enterprise' });
    for (let i = 0; i < 8; i++) {
      const response = await postSend(t, unlimited.apiKey, 'webhook', WEBHOOK_REQUEST);
      expect(response.statusCode).toBe(202);
      expect(response.headers['ratelimit-limit']).toBeUndefined();
    }

    const blocked = await t.createCustomer({ plan: 'startup', rateLimitPerMinute: 0 });
    const refused = await postSend(t, blocked.apiKey, 'webhook', WEBHOOK_REQUEST);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.json().retryAfter).toBe(60);
    expect(rateHeaders(refused)).toEqual({ limit: '0', remaining: '0' });
  });
});
