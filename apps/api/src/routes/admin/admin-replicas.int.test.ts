import { createLogger } from '@notifykit/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, useTestApp } from '../../../test/test-app.ts';
import { type App, buildApp } from '../../app.ts';
import { type AppDeps, createDependencies } from '../../dependencies.ts';

// Two API replicas on one database: `t` is where the operator acts, `other` only serves
// customers and learns about changes through its auth cache expiring.
const OTHER_TTL_MS = 1_500;
const t = useTestApp();
let other: { app: App; deps: AppDeps };

beforeAll(async () => {
  const env = { ...t.deps.env, AUTH_CACHE_TTL_MS: OTHER_TTL_MS };
  const deps = createDependencies(env, createLogger({ name: 'api-replica', level: 'silent' }));
  other = { app: await buildApp(deps), deps };
  await other.app.ready();
});

afterAll(async () => {
  await other?.app.close();
  await other?.deps.close();
});

function pingOther(apiKey: string) {
  return other.app.inject({ method: 'GET', url: '/api/v1/ping', headers: { 'x-api-key': apiKey } });
}

function admin(method: 'PATCH' | 'DELETE', url: string, payload?: object) {
  return t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    ...(payload ? { payload } : {}),
  });
}

/** Polls until the replica answers `status`; returns how long that took after `since`. */
async function waitForStatus(apiKey: string, status: number, since: number): Promise<number> {
  const deadline = since + OTHER_TTL_MS + 2_000;
  while (Date.now() < deadline) {
    if ((await pingOther(apiKey)).statusCode === status) return Date.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`replica never answered ${status}`);
}

describe('changes made on one replica reach the others within AUTH_CACHE_TTL_MS', () => {
  it('a revoked key stops working on the other replica once its cache entry expires', async () => {
    const { customer, apiKey } = await t.createCustomer();
    const cachedAt = Date.now();
    expect((await pingOther(apiKey)).statusCode).toBe(200);
    const [key] = await t.deps.repositories.apiKeys.listForCustomer(customer.id);

    const revoked = await admin('DELETE', `/admin/v1/customers/${customer.id}/api-keys/${key?.id}`);
    expect(revoked.statusCode).toBe(200);
    const elapsed = await waitForStatus(apiKey, 401, cachedAt);
    expect(elapsed).toBeLessThanOrEqual(OTHER_TTL_MS + 1_000);
    expect((await pingOther(apiKey)).json().error).toBe('Invalid API key');
  });

  it('a deactivation reaches the other replica the same way', async () => {
    const { customer, apiKey } = await t.createCustomer();
    const cachedAt = Date.now();
    expect((await pingOther(apiKey)).statusCode).toBe(200);

    await admin('PATCH', `/admin/v1/customers/${customer.id}`, { isActive: false });
    const elapsed = await waitForStatus(apiKey, 403, cachedAt);
    expect(elapsed).toBeLessThanOrEqual(OTHER_TTL_MS + 1_000);
    expect((await pingOther(apiKey)).json().error).toBe('Account is inactive');
  });

  it('the acting replica itself never serves the stale entry', async () => {
    const { customer, apiKey } = await t.createCustomer();
    const [key] = await t.deps.repositories.apiKeys.listForCustomer(customer.id);
    const ping = () =>
      t.app.inject({ method: 'GET', url: '/api/v1/ping', headers: { 'x-api-key': apiKey } });
    expect((await ping()).statusCode).toBe(200);
    await admin('DELETE', `/admin/v1/customers/${customer.id}/api-keys/${key?.id}`);
    expect((await ping()).statusCode).toBe(401);
  });
});
