import { describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, useTestApp } from '../../../test/test-app.ts';

const t = useTestApp();
const OVERRIDE_MESSAGE = (field: string) =>
  `${field} must be a non-negative integer, null (plan default) or "unlimited"`;

function patch(customerId: string, payload: unknown) {
  return t.app.inject({
    method: 'PATCH',
    url: `/admin/v1/customers/${customerId}`,
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    payload: payload as object,
  });
}

function ping(apiKey: string) {
  return t.app.inject({ method: 'GET', url: '/api/v1/ping', headers: { 'x-api-key': apiKey } });
}

describe('PATCH /admin/v1/customers/:id', () => {
  it('changes plan and overrides and shows the limits they resolve to', async () => {
    const { customer } = await t.createCustomer({ plan: 'free' });
    const raised = await patch(customer.id, {
      name: 'Acme Renamed',
      plan: 'startup',
      monthlyQuota: 20000,
      rateLimitPerMinute: 'unlimited',
    });
    expect(raised.statusCode).toBe(200);
    expect(raised.json().data).toMatchObject({
      id: customer.id,
      name: 'Acme Renamed',
      plan: 'startup',
      monthlyQuota: 20000,
      rateLimitPerMinute: 'unlimited',
      effectiveLimits: {
        monthlyQuota: 20000,
        quotaCounts: ['webhook'],
        sendRateLimitPerMinute: null,
        readRateLimitPerMinute: null,
        emailKeySource: 'customer',
      },
    });
    expect(Date.parse(raised.json().data.updatedAt)).toBeGreaterThan(customer.updatedAt.getTime());

    const blocked = await patch(customer.id, { monthlyQuota: 0, rateLimitPerMinute: 7 });
    expect(blocked.json().data.effectiveLimits).toMatchObject({
      monthlyQuota: 0,
      sendRateLimitPerMinute: 7,
      readRateLimitPerMinute: 70,
    });

    const restored = await patch(customer.id, { monthlyQuota: null, rateLimitPerMinute: null });
    expect(restored.json().data).toMatchObject({
      name: 'Acme Renamed',
      monthlyQuota: null,
      rateLimitPerMinute: null,
      effectiveLimits: { monthlyQuota: 15000, sendRateLimitPerMinute: 200 },
    });
  });

  it('refuses bad values with a 400 naming the field, and changes nothing', async () => {
    const { customer } = await t.createCustomer({ plan: 'indie' });
    const cases: Array<[unknown, string, string]> = [
      [{ plan: 'gold' }, 'plan', 'plan must be one of free, indie, startup, enterprise'],
      [{ monthlyQuota: -1 }, 'monthlyQuota', OVERRIDE_MESSAGE('monthlyQuota')],
      [{ monthlyQuota: 2.5 }, 'monthlyQuota', OVERRIDE_MESSAGE('monthlyQuota')],
      [{ monthlyQuota: 'lots' }, 'monthlyQuota', OVERRIDE_MESSAGE('monthlyQuota')],
      [{ monthlyQuota: 2 ** 31 }, 'monthlyQuota', OVERRIDE_MESSAGE('monthlyQuota')],
      [{ rateLimitPerMinute: -5 }, 'rateLimitPerMinute', OVERRIDE_MESSAGE('rateLimitPerMinute')],
      [{ isActive: 'no' }, 'isActive', 'isActive must be a boolean'],
      [{ email: 'nope' }, 'email', 'email must be a valid email address'],
      [{ apiKey: 'x' }, 'apiKey', 'apiKey is not an allowed property'],
    ];
    for (const [body, field, message] of cases) {
      const response = await patch(customer.id, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error).toBe(message);
      expect(response.json().details).toEqual([{ field, message }]);
    }
    const unchanged = await t.deps.repositories.customers.findById(customer.id);
    expect(unchanged).toEqual(customer);
  });

  it('refuses an update that changes nothing', async () => {
    const { customer } = await t.createCustomer();
    const response = await patch(customer.id, {});
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe(
      'Nothing to update: give at least one of name, email, plan, isActive, monthlyQuota, rateLimitPerMinute',
    );
  });

  it('404s an unknown or malformed customer id', async () => {
    for (const id of ['cus_01jh3k7q2w0d4f6h8k1m3p5r7s9t', 'cus_', 'nope']) {
      const response = await patch(id, { isActive: false });
      expect(response.statusCode, id).toBe(404);
      expect(response.json().error).toBe('Customer not found');
    }
  });

  it('deactivation and reactivation take effect at once, despite the auth cache', async () => {
    const { customer, apiKey } = await t.createCustomer();
    expect((await ping(apiKey)).statusCode).toBe(200); // now cached for AUTH_CACHE_TTL_MS

    const off = await patch(customer.id, { isActive: false });
    expect(off.json().data.isActive).toBe(false);
    const refused = await ping(apiKey);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toBe('Account is inactive');

    await patch(customer.id, { isActive: true });
    expect((await ping(apiKey)).statusCode).toBe(200);
  });

  it('a limit change reaches the rate limiter at once', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'free' });
    expect((await ping(apiKey)).headers['ratelimit-limit']).toBe('50');
    await patch(customer.id, { rateLimitPerMinute: 7 });
    expect((await ping(apiKey)).headers['ratelimit-limit']).toBe('70');
  });
});
