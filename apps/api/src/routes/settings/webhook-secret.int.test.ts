import { SECRET_ROTATION_OVERLAP_MS } from '@notifykit/db';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/test-app.ts';

const t = useTestApp();
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function secretRoute(apiKey: string, method: 'GET' | 'POST') {
  return t.app.inject({
    method,
    url: '/api/v1/settings/webhook-secret',
    headers: { 'x-api-key': apiKey },
  });
}

describe('/api/v1/settings/webhook-secret', () => {
  it('creates a secret, returns it once, and stores it encrypted', async () => {
    const { customer, apiKey } = await t.createCustomer();
    expect((await secretRoute(apiKey, 'GET')).json().data).toEqual({
      configured: false,
      createdAt: null,
    });

    const created = await secretRoute(apiKey, 'POST');
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const { data } = created.json();
    expect(data).toEqual({
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      createdAt: expect.stringMatching(ISO),
      previousSecretExpiresAt: null,
    });
    expect(Buffer.from(data.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);

    const [stored] = await t.deps.repositories.webhookSecrets.listActive(customer.id);
    expect(stored?.secretCiphertext).not.toContain(data.secret.slice(6));
    expect(t.deps.secretBox.decrypt(stored?.secretCiphertext ?? '')).toBe(data.secret);

    const status = await secretRoute(apiKey, 'GET');
    expect(status.json().data).toEqual({ configured: true, createdAt: data.createdAt });
    expect(status.body).not.toContain(data.secret.slice(6));
  });

  it('rotation keeps the previous secret signing for 24 hours', async () => {
    const { customer, apiKey } = await t.createCustomer();
    const first = (await secretRoute(apiKey, 'POST')).json().data;
    const second = (await secretRoute(apiKey, 'POST')).json().data;
    expect(second.secret).not.toBe(first.secret);
    expect(Date.parse(second.previousSecretExpiresAt) - Date.parse(second.createdAt)).toBe(
      SECRET_ROTATION_OVERLAP_MS,
    );

    const active = await t.deps.repositories.webhookSecrets.listActive(customer.id);
    expect(active).toHaveLength(2);
    const [current, previous] = active;
    expect(t.deps.secretBox.decrypt(current?.secretCiphertext ?? '')).toBe(second.secret);
    expect(current?.expiresAt).toBeNull();
    expect(t.deps.secretBox.decrypt(previous?.secretCiphertext ?? '')).toBe(first.secret);
    expect(previous?.expiresAt?.toISOString()).toBe(second.previousSecretExpiresAt);
    expect((previous?.expiresAt?.getTime() ?? 0) - Date.now()).toBeGreaterThan(
      SECRET_ROTATION_OVERLAP_MS - 60_000,
    );

    expect((await secretRoute(apiKey, 'GET')).json().data).toEqual({
      configured: true,
      createdAt: second.createdAt,
    });
  });

  it("keeps each customer's secrets apart", async () => {
    const one = await t.createCustomer();
    const two = await t.createCustomer();
    await secretRoute(one.apiKey, 'POST');
    expect((await secretRoute(two.apiKey, 'GET')).json().data.configured).toBe(false);
    expect(await t.deps.repositories.webhookSecrets.listActive(two.customer.id)).toEqual([]);
  });

  it('requires an API key', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/settings/webhook-secret' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('API key is missing');
  });
});
