import { monthlyQuotaPeriod } from '@notifykit/core';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/test-app.ts';
import { customerPlanLimits } from '../../services/customer-limits.ts';
import { EMAIL_REQUEST, postSend, WEBHOOK_REQUEST } from './send-test-helpers.ts';

const t = useTestApp();

const CONFLICT = 'Idempotency key has already been used with a different request';

async function jobCount(customerId: string): Promise<number> {
  const page = await t.deps.repositories.jobs.listForCustomer(customerId, { page: 1, limit: 1 });
  return page.total;
}

describe('idempotent sends', () => {
  it('replays the original job for the same key and body, without a second job', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'enterprise' });
    const headers = { 'idempotency-key': 'order-1001/receipt' };
    const first = await postSend(t, apiKey, 'email', EMAIL_REQUEST, headers);
    expect(first.statusCode).toBe(202);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    // Key order differs: the fingerprint is over canonical JSON, not the bytes sent.
    const reordered = {
      body: EMAIL_REQUEST.body,
      subject: EMAIL_REQUEST.subject,
      to: EMAIL_REQUEST.to,
    };
    const again = await postSend(t, apiKey, 'email', reordered, headers);
    expect(again.statusCode).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().data).toEqual(first.json().data);
    expect(await jobCount(customer.id)).toBe(1);
  });

  it('accepts the key in the body, and in both places when they agree', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'enterprise' });
    const body = { ...WEBHOOK_REQUEST, idempotencyKey: 'evt_77' };
    const first = await postSend(t, apiKey, 'webhook', body);
    const both = await postSend(t, apiKey, 'webhook', body, { 'idempotency-key': 'evt_77' });
    expect(first.statusCode).toBe(202);
    expect(both.statusCode).toBe(202);
    expect(both.headers['idempotent-replayed']).toBe('true');
    expect(both.json().data.jobId).toBe(first.json().data.jobId);
    const stored = await t.deps.repositories.jobs.findByIdempotencyKey(customer.id, 'evt_77');
    expect(stored?.id).toBe(first.json().data.jobId);
  });

  it('refuses a header and body key that differ, naming the field', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'enterprise' });
    const response = await postSend(
      t,
      apiKey,
      'email',
      { ...EMAIL_REQUEST, idempotencyKey: 'a-1' },
      { 'idempotency-key': 'a-2' },
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      success: false,
      error: 'idempotencyKey must equal the Idempotency-Key header when both are sent',
      details: [{ field: 'idempotencyKey' }],
    });
    expect(await jobCount(customer.id)).toBe(0);
  });

  it('refuses a malformed Idempotency-Key header', async () => {
    const { apiKey } = await t.createCustomer({ plan: 'enterprise' });
    const response = await postSend(t, apiKey, 'email', EMAIL_REQUEST, {
      'idempotency-key': 'has spaces',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().details).toEqual([
      {
        field: 'idempotency-key',
        message: 'Idempotency-Key header must be 1–255 characters of A-Z a-z 0-9 . _ : / -',
      },
    ]);
  });

  it('answers 422 for the same key with a different body or on the other endpoint', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'enterprise' });
    const headers = { 'idempotency-key': 'k-422' };
    expect((await postSend(t, apiKey, 'email', EMAIL_REQUEST, headers)).statusCode).toBe(202);

    const changed = await postSend(t, apiKey, 'email', { ...EMAIL_REQUEST, priority: 1 }, headers);
    expect(changed.statusCode).toBe(422);
    expect(changed.json()).toMatchObject({ success: false, error: CONFLICT });

    const otherEndpoint = await postSend(t, apiKey, 'webhook', WEBHOOK_REQUEST, headers);
    expect(otherEndpoint.statusCode).toBe(422);
    expect(otherEndpoint.json().error).toBe(CONFLICT);
    expect(await jobCount(customer.id)).toBe(1);
  });

  it('creates exactly one job for 20 concurrent requests with one key, charging once', async () => {
    // Quota-charged and not rate limited, so the race also covers the quota reservations.
    const { customer, apiKey } = await t.createCustomer({
      plan: 'free',
      rateLimitPerMinute: 'unlimited',
    });
    const headers = { 'idempotency-key': 'burst-1' };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => postSend(t, apiKey, 'webhook', WEBHOOK_REQUEST, headers)),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(202));
    const jobIds = new Set(responses.map((r) => r.json().data.jobId));
    expect(jobIds.size).toBe(1);
    const replays = responses.filter((r) => r.headers['idempotent-replayed'] === 'true');
    expect(replays).toHaveLength(19);
    expect(await jobCount(customer.id)).toBe(1);

    const usage = await t.deps.repositories.usage.get(customer.id);
    expect(usage).toMatchObject({ emailCount: 0, webhookCount: 1 });
    const key = t.deps.monthlyQuota.counterKey(
      customer.id,
      customerPlanLimits(customer),
      monthlyQuotaPeriod(),
    );
    expect(await t.deps.redis.get(key)).toBe('1');
  });

  it('scopes keys to the customer: the same key under two customers makes two jobs', async () => {
    const a = await t.createCustomer({ plan: 'enterprise' });
    const b = await t.createCustomer({ plan: 'enterprise' });
    const headers = { 'idempotency-key': 'shared-key' };
    const forA = await postSend(t, a.apiKey, 'email', EMAIL_REQUEST, headers);
    const forB = await postSend(t, b.apiKey, 'email', EMAIL_REQUEST, headers);
    expect([forA.statusCode, forB.statusCode]).toEqual([202, 202]);
    expect(forB.headers['idempotent-replayed']).toBeUndefined();
    expect(forB.json().data.jobId).not.toBe(forA.json().data.jobId);
    expect(await jobCount(a.customer.id)).toBe(1);
    expect(await jobCount(b.customer.id)).toBe(1);
  });
});
