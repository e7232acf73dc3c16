import {
  JobListSchema,
  JobRecordSchema,
  ListJobsQuerySchema,
  RetryAcceptedSchema,
} from '@notifykit/core';
import Type from 'typebox';
import { successEnvelope } from '../../http/envelope.ts';
import { errorResponses } from '../../http/route-docs.ts';

// Ids are opaque here: a malformed one is answered like an unknown one (404), so the params
// schema accepts any string and the handler decides.
const JobIdParamsSchema = Type.Object({
  jobId: Type.String({ description: 'job_… id returned by a send endpoint' }),
});

const EXAMPLE_CREATED_AT = '2026-01-09T12:34:56.789Z';

/** Schema of GET /api/v1/notifications/jobs. */
export const listJobsSchema = {
  summary: 'List jobs',
  description:
    'Your jobs, newest first, one page at a time, optionally filtered by type and status.',
  tags: ['jobs'],
  querystring: ListJobsQuerySchema,
  response: {
    200: successEnvelope(JobListSchema, {
      data: [
        {
          id: 'job_01kf0q5mzr7c2x9d4e6hjv8wnb3tpa',
          type: 'email',
          status: 'completed',
          priority: 5,
          attempts: 1,
          errorMessage: null,
          createdAt: EXAMPLE_CREATED_AT,
          completedAt: '2026-01-09T12:34:58.456Z',
        },
      ],
      pagination: { page: 1, limit: 20, total: 1, totalPages: 1 },
    }),
    ...errorResponses(400, 401, 403, 429, 503),
  },
};

/** Schema of GET /api/v1/notifications/jobs/{jobId}. */
export const getJobSchema = {
  summary: 'Get a job',
  description: 'The job with its stored request and every delivery attempt, oldest first.',
  tags: ['jobs'],
  params: JobIdParamsSchema,
  response: {
    200: successEnvelope(JobRecordSchema, {
      id: 'job_01kf0q5mzr7c2x9d4e6hjv8wnb3tpa',
      type: 'webhook',
      status: 'completed',
      priority: 5,
      payload: {
        url: 'https://example.com/hooks/notifykit',
        method: 'POST',
        headers: { 'X-Source': '***' },
        payload: { event: 'user.created', userId: 42 },
      },
      attempts: 1,
      maxAttempts: 3,
      errorMessage: null,
      createdAt: EXAMPLE_CREATED_AT,
      startedAt: '2026-01-09T12:34:57.123Z',
      completedAt: '2026-01-09T12:34:58.456Z',
      nextAttemptAt: null,
      deliveryLogs: [
        {
          id: 'att_01kf0q5nb2d7fj3k8m1q4r6s9tvw',
          attempt: 1,
          status: 'success',
          statusCode: 200,
          durationMs: 142,
          errorMessage: null,
          createdAt: '2026-01-09T12:34:58.450Z',
        },
      ],
    }),
    ...errorResponses(401, 403, 404, 429, 503),
  },
};

/** Schema of POST /api/v1/notifications/jobs/{jobId}/retry. */
export const retryJobSchema = {
  summary: 'Retry a failed job',
  description:
    'Re-queues a failed job with a fresh attempt budget; earlier attempts stay in its ' +
    'delivery log. Only jobs in failed status can be retried. Not charged against the quota.',
  tags: ['jobs'],
  params: JobIdParamsSchema,
  response: {
    200: successEnvelope(RetryAcceptedSchema, {
      jobId: 'job_01kf0q5mzr7c2x9d4e6hjv8wnb3tpa',
      status: 'pending',
      message: 'Job has been re-queued for processing',
    }),
    ...errorResponses(400, 401, 403, 404, 429, 503),
  },
};
