import { describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, useTestApp } from '../../../test/test-app.ts';

// An empty value counts as unset (runtime parseEnv), which is how operators leave it off.
const t = useTestApp({ ADMIN_TOKEN: '' });

describe('admin API without ADMIN_TOKEN', () => {
  it('answers every admin route exactly like an unknown route', async () => {
    const calls = [
      { method: 'GET', url: '/admin/v1/customers' },
      { method: 'POST', url: '/admin/v1/customers' },
      { method: 'GET', url: '/admin/v1/customers/cus_01jh3k7q2w0d4f6h8k1m3p5r7s9t' },
      { method: 'PATCH', url: '/admin/v1/customers/cus_01jh3k7q2w0d4f6h8k1m3p5r7s9t' },
      { method: 'POST', url: '/admin/v1/customers/cus_x/api-keys' },
      { method: 'GET', url: '/admin/v1/customers/cus_x/api-keys' },
      { method: 'DELETE', url: '/admin/v1/customers/cus_x/api-keys/key_y' },
    ] as const;
    for (const call of calls) {
      for (const headers of [{}, { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }]) {
        const response = await t.app.inject({
          ...call,
          headers,
          payload: call.method === 'POST' ? {} : undefined,
        });
        expect(response.statusCode, `${call.method} ${call.url}`).toBe(404);
        expect(response.json()).toEqual({
          success: false,
          error: `Route ${call.method} ${call.url} not found`,
          timestamp: expect.any(String),
        });
      }
    }
  });

  it('gives the same answer as a path that never existed', async () => {
    const admin = await t.app.inject({ method: 'GET', url: '/admin/v1/customers?page=2' });
    const unknown = await t.app.inject({ method: 'GET', url: '/admin/v1/unheard-of?page=2' });
    expect(admin.statusCode).toBe(unknown.statusCode);
    expect(Object.keys(admin.json())).toEqual(Object.keys(unknown.json()));
    expect(admin.json().error).toBe('Route GET /admin/v1/customers not found');
    expect(admin.headers['www-authenticate']).toBeUndefined();
  });
});
