import { describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, useTestApp } from '../../../test/test-app.ts';

const t = useTestApp();

const ADMIN_ROUTES = [
  { method: 'GET', url: '/admin/v1/customers' },
  { method: 'POST', url: '/admin/v1/customers' },
  { method: 'GET', url: '/admin/v1/customers/cus_01jh3k7q2w0d4f6h8k1m3p5r7s9t' },
  { method: 'PATCH', url: '/admin/v1/customers/cus_01jh3k7q2w0d4f6h8k1m3p5r7s9t' },
  { method: 'POST', url: '/admin/v1/customers/cus_01jh3k7q2w0d4f6h8k1m3p5r7s9t/api-keys' },
  { method: 'GET', url: '/admin/v1/customers/cus_01jh3k7q2w0d4f6h8k1m3p5r7s9t/api-keys' },
  {
    method: 'DELETE',
    url: '/admin/v1/customers/cus_01jh3k7q2w0d4f6h8k1m3p5r7s9t/api-keys/key_01jh3k7q2w5n8r4t6y9v0b3m5c7x',
  },
] as const;

function listCustomers(headers: Record<string, string>) {
  return t.app.inject({ method: 'GET', url: '/admin/v1/customers', headers });
}

describe('admin token authentication', () => {
  it('refuses every admin route without a token, before validating anything', async () => {
    for (const route of ADMIN_ROUTES) {
      const response = await t.app.inject({ ...route, payload: { unexpected: true } });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(response.json()).toEqual({
        success: false,
        error: 'Admin token is missing',
        timestamp: expect.any(String),
      });
      expect(response.headers['www-authenticate']).toBe('Bearer realm="notifykit-admin"');
    }
  });

  it('refuses a wrong token, whatever its length', async () => {
    for (const wrong of [
      'x',
      `${TEST_ADMIN_TOKEN}x`,
      TEST_ADMIN_TOKEN.slice(0, -1),
      'A'.repeat(46),
    ]) {
      const response = await listCustomers({ authorization: `Bearer ${wrong}` });
      expect(response.statusCode).toBe(401);
      expect(response.json().error).toBe('Invalid admin token');
    }
  });

  it('accepts the token as a Bearer credential only', async () => {
    expect((await listCustomers({ authorization: `Bearer ${TEST_ADMIN_TOKEN}` })).statusCode).toBe(
      200,
    );
    expect(
      (await listCustomers({ authorization: `bearer  ${TEST_ADMIN_TOKEN} ` })).statusCode,
    ).toBe(200);
    const asApiKeyHeader = await listCustomers({ 'x-api-key': TEST_ADMIN_TOKEN });
    expect(asApiKeyHeader.statusCode).toBe(401);
    expect(asApiKeyHeader.json().error).toBe('Admin token is missing');
    const basic = await listCustomers({ authorization: `Basic ${TEST_ADMIN_TOKEN}` });
    expect(basic.json().error).toBe('Admin token is missing');
  });

  it('never lets a customer API key into the admin API', async () => {
    const { apiKey } = await t.createCustomer({ plan: 'enterprise' });
    const asBearer = await listCustomers({ authorization: `Bearer ${apiKey}` });
    expect(asBearer.statusCode).toBe(401);
    expect(asBearer.json().error).toBe('Invalid admin token');
    const asApiKey = await listCustomers({ 'x-api-key': apiKey });
    expect(asApiKey.statusCode).toBe(401);
    expect(asApiKey.json().error).toBe('Admin token is missing');
  });

  it('never lets the admin token into the customer API', async () => {
    for (const headers of [
      { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      { 'x-api-key': TEST_ADMIN_TOKEN },
    ]) {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/ping', headers });
      expect(response.statusCode).toBe(401);
      expect(response.json().error).toBe('Invalid API key format');
    }
  });
});
