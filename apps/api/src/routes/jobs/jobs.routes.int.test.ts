import { newId } from '@notifykit/core';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/test-app.ts';
import {
  EMAIL_PAYLOAD,
  failJob,
  insertJob,
  runAttempt,
  startJob,
  WEBHOOK_PAYLOAD,
} from './job-test-helpers.ts';

const t = useTestApp();

function get(apiKey: string, url: string) {
  return t.app.inject({ method: 'GET', url, headers: { 'x-api-key': apiKey } });
}

const SUMMARY_FIELDS = [
  'attempts',
  'completedAt',
  'createdAt',
  'errorMessage',
  'id',
  'priority',
  'status',
  'type',
];

describe('GET /api/v1/notifications/jobs/:jobId', () => {
  it('returns the full record with masked header values and every attempt, oldest first', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'enterprise' });
    const job = await insertJob(t, customer.id, 'webhook');
    await runAttempt(t, job.id, {
      kind: 'retry',
      statusCode: 503,
      errorMessage: 'HTTP 503 Service Unavailable',
      nextAttemptAt: new Date(Date.now() + 60_000),
    });
    await runAttempt(t, job.id, { kind: 'completed', statusCode: 204 });

    const response = await get(apiKey, `/api/v1/notifications/jobs/${job.id}`);
    expect(response.statusCode).toBe(200);
    const stored = await t.deps.repositories.jobs.findForCustomer(customer.id, job.id);
    if (!stored) throw new Error('job vanished');
    const [first, second] = stored.deliveryAttempts;
    if (!first || !second) throw new Error('expected two attempts');
    expect(response.json().data).toEqual({
      id: job.id,
      type: 'webhook',
      status: 'completed',
      priority: 5,
      payload: {
        url: WEBHOOK_PAYLOAD.url,
        method: 'PUT',
        headers: { Authorization: '***', 'X-Trace': '***' },
        payload: { order: 7 },
      },
      attempts: 2,
      maxAttempts: 3,
      errorMessage: null,
      createdAt: job.createdAt.toISOString(),
      startedAt: stored.job.startedAt?.toISOString(),
      completedAt: stored.job.completedAt?.toISOString(),
      nextAttemptAt: null,
      deliveryLogs: [
        {
          id: first.id,
          attempt: 1,
          status: 'failed',
          statusCode: 503,
          durationMs: 25,
          errorMessage: 'HTTP 503 Service Unavailable',
          createdAt: first.createdAt.toISOString(),
        },
        {
          id: second.id,
          attempt: 2,
          status: 'success',
          statusCode: 204,
          durationMs: 25,
          errorMessage: null,
          createdAt: second.createdAt.toISOString(),
        },
      ],
    });
    expect(response.body).not.toContain('s3cret');
    expect(response.json().data.completedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('shows absent values as null, never omitted, and the scheduled next attempt', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'enterprise' });
    const pending = await insertJob(t, customer.id, 'email');
    const fresh = (await get(apiKey, `/api/v1/notifications/jobs/${pending.id}`)).json().data;
    expect(fresh).toMatchObject({
      status: 'pending',
      payload: EMAIL_PAYLOAD,
      attempts: 0,
      errorMessage: null,
      startedAt: null,
      completedAt: null,
      nextAttemptAt: null,
      deliveryLogs: [],
    });

    const nextAttemptAt = new Date(Date.now() + 240_000);
    await runAttempt(t, pending.id, {
      kind: 'retry',
      statusCode: null,
      errorMessage: 'Connection timeout',
      nextAttemptAt,
    });
    const waiting = (await get(apiKey, `/api/v1/notifications/jobs/${pending.id}`)).json().data;
    expect(waiting).toMatchObject({
      status: 'pending',
      attempts: 1,
      errorMessage: 'Connection timeout',
      nextAttemptAt: nextAttemptAt.toISOString(),
      deliveryLogs: [{ attempt: 1, status: 'failed', statusCode: null }],
    });
  });

  it("answers 404 Job not found for malformed, unknown and other customers' ids", async () => {
    const owner = await t.createCustomer({ plan: 'enterprise' });
    const stranger = await t.createCustomer({ plan: 'enterprise' });
    const job = await insertJob(t, owner.customer.id, 'email');
    const ids = [
      job.id,
      'job_abc',
      'not-a-job',
      job.id.toUpperCase(),
      newId('job'),
      newId('att'),
      `job_${'a'.repeat(5000)}`,
    ];
    for (const id of ids) {
      const response = await get(stranger.apiKey, `/api/v1/notifications/jobs/${id}`);
      expect({ id, status: response.statusCode, body: response.json() }).toEqual({
        id,
        status: 404,
        body: { success: false, error: 'Job not found', timestamp: expect.any(String) },
      });
    }
    expect((await get(owner.apiKey, `/api/v1/notifications/jobs/${job.id}`)).statusCode).toBe(200);
  });
});

describe('GET /api/v1/notifications/jobs', () => {
  it('pages 150 jobs newest first: 8 pages of at most 20, and an empty page 9', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'enterprise' });
    const other = await t.createCustomer({ plan: 'enterprise' });
    await insertJob(t, other.customer.id, 'email');
    for (let batch = 0; batch < 5; batch++) {
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          insertJob(t, customer.id, i % 3 === 0 ? 'webhook' : 'email'),
        ),
      );
    }

    const seen: { id: string; createdAt: string }[] = [];
    for (let page = 1; page <= 8; page++) {
      const response = await get(apiKey, `/api/v1/notifications/jobs?page=${page}&limit=20`);
      expect(response.statusCode).toBe(200);
      const { data, pagination } = response.json().data;
      expect(pagination).toEqual({ page, limit: 20, total: 150, totalPages: 8 });
      expect(data).toHaveLength(page < 8 ? 20 : 10);
      for (const summary of data) expect(Object.keys(summary).sort()).toEqual(SUMMARY_FIELDS);
      seen.push(...data);
    }
    expect(new Set(seen.map((job) => job.id)).size).toBe(150);
    const newestFirst = [...seen].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
    );
    expect(seen.map((job) => job.id)).toEqual(newestFirst.map((job) => job.id));

    const past = await get(apiKey, '/api/v1/notifications/jobs?page=9&limit=20');
    expect(past.json().data).toEqual({
      data: [],
      pagination: { page: 9, limit: 20, total: 150, totalPages: 8 },
    });
    const defaults = await get(apiKey, '/api/v1/notifications/jobs');
    expect(defaults.json().data.pagination).toEqual({
      page: 1,
      limit: 20,
      total: 150,
      totalPages: 8,
    });
    expect(defaults.json().data.data[0].id).toBe(seen[0]?.id);
  });

  it('filters by type, by status, and by both', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'enterprise' });
    const emails = await Promise.all([1, 2, 3, 4].map(() => insertJob(t, customer.id, 'email')));
    const hooks = await Promise.all([1, 2, 3].map(() => insertJob(t, customer.id, 'webhook')));
    const [email1, email2] = emails;
    const [hook1, hook2] = hooks;
    if (!email1 || !email2 || !hook1 || !hook2) throw new Error('jobs missing');
    await failJob(t, email1.id);
    await failJob(t, hook1.id);
    await runAttempt(t, hook2.id, { kind: 'completed', statusCode: 200 });
    await startJob(t, email2.id);

    const list = async (query: string) => {
      const response = await get(apiKey, `/api/v1/notifications/jobs?${query}`);
      expect(response.statusCode).toBe(200);
      const { data, pagination } = response.json().data;
      return { ids: data.map((job: { id: string }) => job.id).sort(), total: pagination.total };
    };
    const ids = (...jobs: { id: string }[]) => jobs.map((job) => job.id).sort();

    expect(await list('type=email')).toEqual({ ids: ids(...emails), total: 4 });
    expect(await list('type=webhook')).toEqual({ ids: ids(...hooks), total: 3 });
    expect(await list('status=failed')).toEqual({ ids: ids(email1, hook1), total: 2 });
    expect(await list('status=processing')).toEqual({ ids: ids(email2), total: 1 });
    expect(await list('type=webhook&status=failed')).toEqual({ ids: ids(hook1), total: 1 });
    expect(await list('type=webhook&status=completed&page=1&limit=10')).toEqual({
      ids: ids(hook2),
      total: 1,
    });
    const none = await get(apiKey, '/api/v1/notifications/jobs?type=email&status=completed');
    expect(none.json().data).toEqual({
      data: [],
      pagination: { page: 1, limit: 20, total: 0, totalPages: 0 },
    });

    const failed = await get(apiKey, '/api/v1/notifications/jobs?status=failed&type=email');
    expect(failed.json().data.data).toEqual([
      {
        id: email1.id,
        type: 'email',
        status: 'failed',
        priority: 5,
        attempts: 1,
        errorMessage: 'HTTP 410 Gone',
        createdAt: email1.createdAt.toISOString(),
        completedAt: null,
      },
    ]);
  });

  it.each([
    ['limit=0', 'limit', 'limit must be at least 1'],
    ['limit=101', 'limit', 'limit must be at most 100'],
    ['limit=1.5', 'limit', 'limit must be an integer'],
    ['page=0', 'page', 'page must be at least 1'],
    ['page=-1', 'page', 'page must be at least 1'],
    ['page=abc', 'page', 'page must be an integer'],
    // Past a safe integer the OFFSET cannot be computed: a 400, never a 500.
    ['page=1e300', 'page', 'page must be at most 9007199254740991'],
    ['status=bogus', 'status', 'status must be one of pending, processing, completed, failed'],
    ['type=sms', 'type', 'type must be one of email, webhook'],
  ])('refuses %s with a 400 naming the parameter', async (query, field, error) => {
    const { apiKey } = await t.createCustomer({ plan: 'enterprise' });
    const response = await get(apiKey, `/api/v1/notifications/jobs?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      success: false,
      error,
      details: [{ field, message: error }],
      timestamp: expect.any(String),
    });
  });
});
