import { describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, useTestApp } from '../../../test/test-app.ts';
import { hashApiKey } from '../../auth/api-key-material.ts';

const t = useTestApp();
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UNKNOWN_ID = 'cus_01jh3k7q2w0d4f6h8k1m3p5r7s9t';

function admin(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function createCustomer(plan = 'free', name = 'Acme Inc.') {
  const response = await admin('POST', '/admin/v1/customers', {
    name,
    email: 'ops@acme.example',
    plan,
  });
  expect(response.statusCode).toBe(201);
  return response.json().data as { customer: { id: string }; apiKey: string; key: { id: string } };
}

describe('POST /admin/v1/customers', () => {
  it('creates a customer whose key works at once and is stored only as a hash', async () => {
    const response = await admin('POST', '/admin/v1/customers', {
      name: 'Acme Inc.',
      email: 'ops@acme.example',
      plan: 'indie',
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body).toEqual({
      success: true,
      data: {
        customer: {
          id: expect.stringMatching(/^cus_[0-9a-z]{30}$/),
          name: 'Acme Inc.',
          email: 'ops@acme.example',
          plan: 'indie',
          isActive: true,
          monthlyQuota: null,
          rateLimitPerMinute: null,
          effectiveLimits: {
            monthlyQuota: 4000,
            quotaCounts: ['webhook'],
            sendRateLimitPerMinute: 50,
            readRateLimitPerMinute: 500,
            emailKeySource: 'customer',
          },
          sendgridKeyConfigured: false,
          createdAt: expect.stringMatching(ISO),
          updatedAt: expect.stringMatching(ISO),
        },
        apiKey: expect.stringMatching(/^nh_[0-9a-f]{64}$/),
        key: {
          id: expect.stringMatching(/^key_[0-9a-z]{30}$/),
          lastFour: body.data.apiKey.slice(-4),
          createdAt: expect.stringMatching(ISO),
          revokedAt: null,
          lastUsedAt: null,
        },
      },
      timestamp: expect.stringMatching(ISO),
    });

    const ping = await t.app.inject({
      method: 'GET',
      url: '/api/v1/ping',
      headers: { 'x-api-key': body.data.apiKey },
    });
    expect(ping.statusCode).toBe(200);
    expect(ping.json().data).toEqual({ message: 'pong' });

    const stored = await t.deps.database.pool.query(
      'select key_hash from api_keys where customer_id = $1',
      [body.data.customer.id],
    );
    expect(stored.rows).toEqual([{ key_hash: hashApiKey(body.data.apiKey) }]);
  });

  it('lists every problem with a bad body, naming the fields', async () => {
    const empty = await admin('POST', '/admin/v1/customers', {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toBe('name is required');
    expect(empty.json().details).toEqual([
      { field: 'name', message: 'name is required' },
      { field: 'email', message: 'email is required' },
      { field: 'plan', message: 'plan is required' },
    ]);

    const bad = await admin('POST', '/admin/v1/customers', {
      name: '',
      email: 'not-an-email',
      plan: 'gold',
      apiKey: 'nh_mine',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details).toEqual(
      expect.arrayContaining([
        { field: 'apiKey', message: 'apiKey is not an allowed property' },
        { field: 'name', message: 'name must not be empty' },
        { field: 'email', message: 'email must be a valid email address' },
        { field: 'plan', message: 'plan must be one of free, indie, startup, enterprise' },
      ]),
    );
    expect(bad.json().details).toHaveLength(4);
  });

  it('refuses a name with a NUL character (Postgres text cannot store it) with a 400', async () => {
    const created = await admin('POST', '/admin/v1/customers', {
      name: 'Acme\u0000Inc.',
      email: 'ops@acme.example',
      plan: 'free',
    });
    expect(created.statusCode).toBe(400);
    expect(created.json().details).toEqual([
      { field: 'name', message: 'name has an invalid format' },
    ]);

    const { customer } = await createCustomer();
    const patched = await admin('PATCH', `/admin/v1/customers/${customer.id}`, {
      name: 'Acme\u0000Inc.',
    });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().error).toBe('name has an invalid format');
  });
});

describe('GET /admin/v1/customers', () => {
  it('pages newest first with the same pagination shape as jobs', async () => {
    const before = (await admin('GET', '/admin/v1/customers')).json().data.pagination.total;
    const first = await createCustomer('free', 'Page One');
    const second = await createCustomer('free', 'Page Two');
    const third = await createCustomer('free', 'Page Three');

    const page1 = await admin('GET', '/admin/v1/customers?limit=2');
    expect(page1.statusCode).toBe(200);
    expect(page1.json().data.data.map((c: { id: string }) => c.id)).toEqual([
      third.customer.id,
      second.customer.id,
    ]);
    expect(page1.json().data.pagination).toEqual({
      page: 1,
      limit: 2,
      total: before + 3,
      totalPages: Math.ceil((before + 3) / 2),
    });

    const page2 = await admin('GET', '/admin/v1/customers?limit=2&page=2');
    expect(page2.json().data.data[0].id).toBe(first.customer.id);

    const defaults = await admin('GET', '/admin/v1/customers');
    expect(defaults.json().data.pagination).toMatchObject({ page: 1, limit: 20 });
  });

  it('refuses bad paging parameters, naming them', async () => {
    const cases = [
      ['limit=101', 'limit must be at most 100'],
      ['limit=0', 'limit must be at least 1'],
      ['page=0', 'page must be at least 1'],
      ['page=two', 'page must be an integer'],
      ['page=1e300', 'page must be at most 9007199254740991'],
    ] as const;
    for (const [query, message] of cases) {
      const response = await admin('GET', `/admin/v1/customers?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error).toBe(message);
    }
  });
});

describe('GET /admin/v1/customers/:id', () => {
  it('shows one customer and 404s unknown or malformed ids', async () => {
    const created = await createCustomer('enterprise');
    const found = await admin('GET', `/admin/v1/customers/${created.customer.id}`);
    expect(found.statusCode).toBe(200);
    expect(found.json().data).toEqual(created.customer);
    expect(found.json().data.effectiveLimits).toEqual({
      monthlyQuota: null,
      quotaCounts: ['email', 'webhook'],
      sendRateLimitPerMinute: null,
      readRateLimitPerMinute: null,
      emailKeySource: 'operator',
    });

    for (const id of [
      UNKNOWN_ID,
      'cus_nope',
      'job_01jh3k7q2w0d4f6h8k1m3p5r7s9t',
      'x'.repeat(150),
    ]) {
      const response = await admin('GET', `/admin/v1/customers/${id}`);
      expect(response.statusCode, id).toBe(404);
      expect(response.json().error).toBe('Customer not found');
    }
  });
});
