import { monthlyQuotaPeriod, resolvePlanLimits } from '@notifykit/core';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/test-app.ts';
import {
  EMAIL_REQUEST,
  postSend,
  WEBHOOK_REQUEST,
} from '../routes/notifications/send-test-helpers.ts';
import { customerPlanLimits } from '../services/customer-limits.ts';

const t = useTestApp();

function exceeded(used: number, limit: number): string {
  const resetsAt = monthlyQuotaPeriod().resetsAt.toISOString();
  return `Monthly quota exceeded (${used}/${limit}). Resets at ${resetsAt}.`;
}

/** A quota-limited customer whose rate limit never gets in the way of these tests. */
function quotaCustomer(plan: 'free' | 'indie' | 'enterprise', monthlyQuota: number | null) {
  return t.createCustomer({ plan, monthlyQuota, rateLimitPerMinute: 'unlimited' });
}

describe('monthly quota through the send endpoints', () => {
  it('answers the exact 403 once the month is used up, counting email and webhook on free', async () => {
    const { customer, apiKey } = await quotaCustomer('free', 3);
    expect((await postSend(t, apiKey, 'email', EMAIL_REQUEST)).statusCode).toBe(202);
    expect((await postSend(t, apiKey, 'webhook', WEBHOOK_REQUEST)).statusCode).toBe(202);
    expect((await postSend(t, apiKey, 'email', EMAIL_REQUEST)).statusCode).toBe(202);

    const refused = await postSend(t, apiKey, 'webhook', WEBHOOK_REQUEST);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({
      success: false,
      error: exceeded(3, 3),
      timestamp: expect.any(String),
    });
    expect(await t.deps.repositories.usage.get(customer.id)).toMatchObject({
      emailCount: 2,
      webhookCount: 1,
    });
  });

  it('charges nothing for rejected requests and idempotent replays', async () => {
    const { customer, apiKey } = await quotaCustomer('free', 2);
    const headers = { 'idempotency-key': 'once' };
    expect((await postSend(t, apiKey, 'email', EMAIL_REQUEST, headers)).statusCode).toBe(202);
    for (let i = 0; i < 3; i++) {
      expect((await postSend(t, apiKey, 'email', { to: 'nobody' })).statusCode).toBe(400);
      const replay = await postSend(t, apiKey, 'email', EMAIL_REQUEST, headers);
      expect(replay.statusCode).toBe(202);
      expect(replay.headers['idempotent-replayed']).toBe('true');
    }
    expect((await postSend(t, apiKey, 'webhook', WEBHOOK_REQUEST)).statusCode).toBe(202);
    const refused = await postSend(t, apiKey, 'webhook', WEBHOOK_REQUEST);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toBe(exceeded(2, 2));

    // A replay still answers once the quota is spent: it creates nothing.
    const lateReplay = await postSend(t, apiKey, 'email', EMAIL_REQUEST, headers);
    expect(lateReplay.statusCode).toBe(202);
    expect(lateReplay.headers['idempotent-replayed']).toBe('true');
    expect(await t.deps.repositories.usage.get(customer.id)).toMatchObject({
      emailCount: 1,
      webhookCount: 1,
    });
  });

  it('charges only webhooks on indie, where email is unlimited', async () => {
    const { customer, apiKey } = await quotaCustomer('indie', 1);
    await t.deps.repositories.customers.setSendgridKey(customer.id, {
      ciphertext: 'v1:test:ciphertext',
      lastFour: 'wxyz',
    });
    for (let i = 0; i < 3; i++) {
      expect((await postSend(t, apiKey, 'email', EMAIL_REQUEST)).statusCode).toBe(202);
    }
    expect((await postSend(t, apiKey, 'webhook', WEBHOOK_REQUEST)).statusCode).toBe(202);
    const refused = await postSend(t, apiKey, 'webhook', WEBHOOK_REQUEST);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toBe(exceeded(1, 1));
    expect((await postSend(t, apiKey, 'email', EMAIL_REQUEST)).statusCode).toBe(202);
    // Usage still records every accepted send; only the quota ignores email here.
    expect(await t.deps.repositories.usage.get(customer.id)).toMatchObject({
      emailCount: 4,
      webhookCount: 1,
    });
  });

  it('starts from the usage Postgres already holds when Redis has no counter', async () => {
    const { customer, apiKey } = await quotaCustomer('free', 2);
    await t.deps.repositories.usage.increment(customer.id, 'email');
    await t.deps.repositories.usage.increment(customer.id, 'webhook');
    const refused = await postSend(t, apiKey, 'email', EMAIL_REQUEST);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toBe(exceeded(2, 2));
  });

  it('lets exactly the remaining quota through a burst of concurrent sends', async () => {
    const { customer, apiKey } = await quotaCustomer('free', 4);
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => postSend(t, apiKey, 'webhook', WEBHOOK_REQUEST)),
    );
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([...Array(4).fill(202), ...Array(8).fill(403)]);
    expect((await t.deps.repositories.usage.get(customer.id)).webhookCount).toBe(4);
    const key = t.deps.monthlyQuota.counterKey(
      customer.id,
      customerPlanLimits(customer),
      monthlyQuotaPeriod(),
    );
    expect(await t.deps.redis.get(key)).toBe('4');
  });

  it('blocks every send with an override of 0 and never limits an unlimited plan', async () => {
    const blocked = await quotaCustomer('enterprise', 0);
    const refused = await postSend(t, blocked.apiKey, 'webhook', WEBHOOK_REQUEST);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toBe(exceeded(0, 0));

    const unlimited = await quotaCustomer('enterprise', null);
    for (let i = 0; i < 5; i++) {
      expect((await postSend(t, unlimited.apiKey, 'webhook', WEBHOOK_REQUEST)).statusCode).toBe(
        202,
      );
    }
    const usage = await t.deps.repositories.usage.get(unlimited.customer.id);
    expect(usage.webhookCount).toBe(5);
  });
});

describe('createMonthlyQuota', () => {
  it('reserves, releases once, and expires the counter after its month', async () => {
    const { customer } = await t.createCustomer({ plan: 'free' });
    const limits = resolvePlanLimits('free', { monthlyQuota: 2 });
    const now = new Date('2099-03-31T23:59:59.000Z');
    const quota = t.deps.monthlyQuota;
    const key = quota.counterKey(customer.id, limits, monthlyQuotaPeriod(now));
    expect(key).toBe(`${t.deps.redisKeyPrefix}quota:${customer.id}:2099-03:email+webhook`);

    const first = await quota.reserve(customer.id, limits, 'email', now);
    expect(first).toMatchObject({ status: 'reserved', used: 1, limit: 2 });
    const second = await quota.reserve(customer.id, limits, 'webhook', now);
    expect(second).toMatchObject({ status: 'reserved', used: 2 });
    const third = await quota.reserve(customer.id, limits, 'email', now);
    expect(third).toMatchObject({ status: 'exceeded', used: 2, limit: 2 });

    if (second.status !== 'reserved') throw new Error('expected a reservation');
    await second.release();
    await second.release();
    expect(await t.deps.redis.get(key)).toBe('1');

    const expiresAt = await t.deps.redis.pexpiretime(key);
    expect(expiresAt).toBe(Date.parse('2099-04-02T00:00:00.000Z'));
    // Another month is another counter.
    const april = await quota.reserve(customer.id, limits, 'email', new Date('2099-04-01T00:00Z'));
    expect(april).toMatchObject({ status: 'reserved', used: 1 });
  });

  it('never leaves a counter without an expiry, even for a month already past', async () => {
    const { customer } = await t.createCustomer({ plan: 'free' });
    const limits = resolvePlanLimits('free');
    const past = new Date('2020-01-15T12:00:00.000Z');
    await t.deps.monthlyQuota.reserve(customer.id, limits, 'webhook', past);
    const key = t.deps.monthlyQuota.counterKey(customer.id, limits, monthlyQuotaPeriod(past));
    expect(await t.deps.redis.get(key)).toBe('1');
    expect(await t.deps.redis.pttl(key)).toBeGreaterThan(23 * 60 * 60 * 1000);
  });

  it('does not charge types or plans outside the quota', async () => {
    const { customer } = await t.createCustomer({ plan: 'indie' });
    const quota = t.deps.monthlyQuota;
    expect(await quota.reserve(customer.id, resolvePlanLimits('indie'), 'email')).toEqual({
      status: 'not-charged',
    });
    expect(await quota.reserve(customer.id, resolvePlanLimits('enterprise'), 'webhook')).toEqual({
      status: 'not-charged',
    });
  });

  it('never lets a release take the counter below zero', async () => {
    const { customer } = await t.createCustomer({ plan: 'free' });
    const limits = resolvePlanLimits('free');
    const reservation = await t.deps.monthlyQuota.reserve(customer.id, limits, 'email');
    if (reservation.status !== 'reserved') throw new Error('expected a reservation');
    const key = t.deps.monthlyQuota.counterKey(customer.id, limits, monthlyQuotaPeriod());
    await t.deps.redis.set(key, '0');
    await reservation.release();
    expect(await t.deps.redis.get(key)).toBe('0');
  });
});
