import { describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, useTestApp } from '../../../test/test-app.ts';

const t = useTestApp();
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UNKNOWN_CUSTOMER = 'cus_01jh3k7q2w0d4f6h8k1m3p5r7s9t';
const UNKNOWN_KEY = 'key_01jh3k7q2w5n8r4t6y9v0b3m5c7x';

function admin(method: 'GET' | 'POST' | 'DELETE', url: string) {
  return t.app.inject({ method, url, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
}

function ping(apiKey: string) {
  return t.app.inject({ method: 'GET', url: '/api/v1/ping', headers: { 'x-api-key': apiKey } });
}

describe('admin API keys', () => {
  it('issues another key that works alongside the first', async () => {
    const { customer, apiKey: firstKey } = await t.createCustomer();
    const response = await admin('POST', `/admin/v1/customers/${customer.id}/api-keys`);
    expect(response.statusCode).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const { data } = response.json();
    expect(data).toEqual({
      apiKey: expect.stringMatching(/^nh_[0-9a-f]{64}$/),
      key: {
        id: expect.stringMatching(/^key_/),
        lastFour: data.apiKey.slice(-4),
        createdAt: expect.stringMatching(ISO),
        revokedAt: null,
        lastUsedAt: null,
      },
    });
    expect(data.apiKey).not.toBe(firstKey);
    expect((await ping(data.apiKey)).statusCode).toBe(200);
    expect((await ping(firstKey)).statusCode).toBe(200);
  });

  it('lists keys newest first without any hash or plaintext', async () => {
    const { customer, apiKey } = await t.createCustomer();
    const second = (await admin('POST', `/admin/v1/customers/${customer.id}/api-keys`)).json().data;
    const response = await admin('GET', `/admin/v1/customers/${customer.id}/api-keys`);
    expect(response.statusCode).toBe(200);
    const keys = response.json().data.data;
    expect(keys).toHaveLength(2);
    expect(keys[0]).toEqual(second.key);
    expect(keys[1]).toMatchObject({ lastFour: apiKey.slice(-4), revokedAt: null });
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(
        ['createdAt', 'id', 'lastFour', 'lastUsedAt', 'revokedAt'].sort(),
      );
    }
    expect(response.body).not.toContain(apiKey.slice(3, 20));
  });

  it('revokes a key: 401 at once for it, the other key keeps working, repeat is harmless', async () => {
    const { customer, apiKey: oldKey } = await t.createCustomer();
    const fresh = (await admin('POST', `/admin/v1/customers/${customer.id}/api-keys`)).json().data;
    expect((await ping(oldKey)).statusCode).toBe(200); // cached from here on
    const [, oldRecord] = (await admin('GET', `/admin/v1/customers/${customer.id}/api-keys`)).json()
      .data.data;

    const revoked = await admin(
      'DELETE',
      `/admin/v1/customers/${customer.id}/api-keys/${oldRecord.id}`,
    );
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().data).toMatchObject({
      id: oldRecord.id,
      revokedAt: expect.stringMatching(ISO),
    });

    const refused = await ping(oldKey);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toBe('Invalid API key');
    expect((await ping(fresh.apiKey)).statusCode).toBe(200);

    const again = await admin(
      'DELETE',
      `/admin/v1/customers/${customer.id}/api-keys/${oldRecord.id}`,
    );
    expect(again.statusCode).toBe(200);
    expect(again.json().data.revokedAt).toBe(revoked.json().data.revokedAt);
  });

  it("404s another customer's key, a malformed key id and an unknown customer", async () => {
    const { customer } = await t.createCustomer();
    const other = await t.createCustomer();
    const otherKeyId = (
      await admin('GET', `/admin/v1/customers/${other.customer.id}/api-keys`)
    ).json().data.data[0].id;

    for (const keyId of [
      otherKeyId,
      UNKNOWN_KEY,
      'key_short',
      'cus_01jh3k7q2w5n8r4t6y9v0b3m5c7x',
    ]) {
      const response = await admin(
        'DELETE',
        `/admin/v1/customers/${customer.id}/api-keys/${keyId}`,
      );
      expect(response.statusCode, keyId).toBe(404);
      expect(response.json().error).toBe('API key not found');
    }
    expect((await ping(other.apiKey)).statusCode).toBe(200);

    for (const [method, url] of [
      ['POST', `/admin/v1/customers/${UNKNOWN_CUSTOMER}/api-keys`],
      ['GET', `/admin/v1/customers/${UNKNOWN_CUSTOMER}/api-keys`],
      ['DELETE', `/admin/v1/customers/${UNKNOWN_CUSTOMER}/api-keys/${otherKeyId}`],
      ['POST', '/admin/v1/customers/not-an-id/api-keys'],
    ] as const) {
      const response = await admin(method, url);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json().error).toBe('Customer not found');
    }
  });
});
