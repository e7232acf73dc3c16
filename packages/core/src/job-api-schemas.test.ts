import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import {
  DeliveryLogSchema,
  JobListSchema,
  JobRecordSchema,
  JobSummarySchema,
  ListJobsQuerySchema,
  RetryAcceptedSchema,
  SendAcceptedSchema,
} from './job-api-schemas.ts';

const at = '2026-01-09T12:34:56.789Z';

const log = {
  id: 'att_01',
  attempt: 1,
  status: 'failed',
  statusCode: null,
  durationMs: 30_000,
  errorMessage: 'Webhook request timed out',
  createdAt: at,
};

const record = {
  id: 'job_abc123',
  type: 'email',
  status: 'completed',
  priority: 5,
  payload: { to: 'user@example.com', subject: 'Welcome!', body: '<h1>Hello</h1>', from: null },
  attempts: 1,
  maxAttempts: 3,
  errorMessage: null,
  createdAt: at,
  startedAt: at,
  completedAt: at,
  nextAttemptAt: null,
  deliveryLogs: [{ ...log, status: 'success', statusCode: 202, errorMessage: null }],
};

const summary = {
  id: 'job_abc123',
  type: 'webhook',
  status: 'failed',
  priority: 5,
  attempts: 3,
  errorMessage: 'Connection timeout',
  createdAt: at,
  completedAt: null,
};

describe('DeliveryLogSchema', () => {
  it('accepts a log with or without a status code and error', () => {
    expect(Value.Check(DeliveryLogSchema, log)).toBe(true);
    expect(Value.Check(DeliveryLogSchema, { ...log, statusCode: 503 })).toBe(true);
  });

  it('refuses omitted nullable fields and unknown statuses', () => {
    const { statusCode: _, ...withoutStatus } = log;
    expect(Value.Check(DeliveryLogSchema, withoutStatus)).toBe(false);
    expect(Value.Check(DeliveryLogSchema, { ...log, status: 'pending' })).toBe(false);
    expect(Value.Check(DeliveryLogSchema, { ...log, attempt: 0 })).toBe(false);
    expect(Value.Check(DeliveryLogSchema, { ...log, createdAt: 'yesterday' })).toBe(false);
  });
});

describe('JobRecordSchema', () => {
  it('accepts the seed example completed with the contract fields', () => {
    expect(Value.Check(JobRecordSchema, record)).toBe(true);
  });

  it('accepts a webhook job with masked headers', () => {
    const webhookRecord = {
      ...record,
      type: 'webhook',
      status: 'pending',
      payload: { url: 'https://x.io', method: 'POST', headers: { 'X-A': '***' }, payload: {} },
      completedAt: null,
      nextAttemptAt: at,
      errorMessage: 'Webhook endpoint responded with HTTP 503',
    };
    expect(Value.Check(JobRecordSchema, webhookRecord)).toBe(true);
  });

  it.each(['errorMessage', 'startedAt', 'completedAt', 'nextAttemptAt'])(
    'requires %s to be present (null, never omitted)',
    (field) => {
      const copy: Record<string, unknown> = { ...record };
      delete copy[field];
      expect(Value.Check(JobRecordSchema, copy)).toBe(false);
      expect(Value.Check(JobRecordSchema, { ...record, [field]: null })).toBe(true);
    },
  );

  it('refuses unknown priorities, statuses and extra fields', () => {
    expect(Value.Check(JobRecordSchema, { ...record, priority: 3 })).toBe(false);
    expect(Value.Check(JobRecordSchema, { ...record, status: 'done' })).toBe(false);
    expect(Value.Check(JobRecordSchema, { ...record, customerId: 'cus_1' })).toBe(false);
  });
});

describe('JobSummarySchema / JobListSchema', () => {
  it('has exactly the summary fields', () => {
    expect(Value.Check(JobSummarySchema, summary)).toBe(true);
    for (const extra of ['payload', 'startedAt', 'maxAttempts', 'deliveryLogs']) {
      expect(Value.Check(JobSummarySchema, { ...summary, [extra]: null })).toBe(false);
    }
    expect(Object.keys(JobSummarySchema.properties).sort()).toEqual([
      'attempts',
      'completedAt',
      'createdAt',
      'errorMessage',
      'id',
      'priority',
      'status',
      'type',
    ]);
  });

  it('wraps summaries with pagination', () => {
    const list = { data: [summary], pagination: { page: 1, limit: 20, total: 150, totalPages: 8 } };
    expect(Value.Check(JobListSchema, list)).toBe(true);
    expect(
      Value.Check(JobListSchema, { ...list, pagination: { ...list.pagination, limit: 101 } }),
    ).toBe(false);
  });
});

describe('ListJobsQuerySchema', () => {
  it('accepts the documented filters and fills defaults', () => {
    expect(
      Value.Check(ListJobsQuerySchema, { page: 2, limit: 50, type: 'webhook', status: 'failed' }),
    ).toBe(true);
    expect(Value.Default(ListJobsQuerySchema, {})).toEqual({ page: 1, limit: 20 });
  });

  it.each([
    { page: 0 },
    { page: 1.5 },
    { limit: 0 },
    { limit: 101 },
    { type: 'sms' },
    { status: 'done' },
  ])('rejects %j', (query) => {
    expect(Value.Check(ListJobsQuerySchema, query)).toBe(false);
  });
});

describe('SendAcceptedSchema / RetryAcceptedSchema', () => {
  it('describe the 202 and retry answers', () => {
    expect(
      Value.Check(SendAcceptedSchema, {
        jobId: 'job_1',
        status: 'pending',
        type: 'email',
        createdAt: at,
      }),
    ).toBe(true);
    expect(
      Value.Check(SendAcceptedSchema, {
        jobId: 'job_1',
        status: 'completed',
        type: 'email',
        createdAt: at,
      }),
    ).toBe(false);
    expect(
      Value.Check(RetryAcceptedSchema, {
        jobId: 'job_1',
        status: 'pending',
        message: 'Job has been re-queued for processing',
      }),
    ).toBe(true);
    expect(
      Value.Check(RetryAcceptedSchema, { jobId: 'job_1', status: 'pending', message: 'ok' }),
    ).toBe(false);
  });
});
