import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parseId } from '@notifykit/core';
import type { AppDeps } from '../../dependencies.ts';
import { notFound } from '../../http/api-error.ts';
import { ok } from '../../http/envelope.ts';
import { requireCustomer } from '../../plugins/auth.plugin.ts';
import { customerPlanLimits } from '../../services/customer-limits.ts';
import { retryJob } from '../../services/job-retry-service.ts';
import { toJobList, toJobRecord } from '../../services/job-view.ts';
import { getJobSchema, listJobsSchema, retryJobSchema } from './jobs.schemas.ts';

/** The 404 of GET /jobs/{jobId} (seed, exact string), also for another customer's job. */
export const JOB_NOT_FOUND_MESSAGE = 'Job not found';

const DEFAULT_PAGE = 1;
const DEFAULT_LIMIT = 20;

/** GET /api/v1/notifications/jobs, GET .../jobs/:jobId, POST .../jobs/:jobId/retry. */
export const jobsRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get('/api/v1/notifications/jobs', { schema: listJobsSchema }, async (request) => {
    const { customer } = requireCustomer(request);
    const { type, status } = request.query;
    const page = request.query.page ?? DEFAULT_PAGE;
    const limit = request.query.limit ?? DEFAULT_LIMIT;
    const rows = await deps.repositories.jobs.listForCustomer(customer.id, {
      page,
      limit,
      type,
      status,
    });
    return ok(toJobList(rows, { page, limit }));
  });

  app.get('/api/v1/notifications/jobs/:jobId', { schema: getJobSchema }, async (request) => {
    const { customer } = requireCustomer(request);
    const { jobId } = request.params;
    // A malformed id cannot exist; answering without a query keeps id probing cheap.
    if (parseId(jobId, 'job') === null) throw notFound(JOB_NOT_FOUND_MESSAGE);
    const found = await deps.repositories.jobs.findForCustomer(customer.id, jobId);
    if (!found) throw notFound(JOB_NOT_FOUND_MESSAGE);
    return ok(toJobRecord(found));
  });

  app.post(
    '/api/v1/notifications/jobs/:jobId/retry',
    { schema: retryJobSchema },
    async (request) => {
      const { customer } = requireCustomer(request);
      const result = await retryJob(deps, {
        customer,
        limits: customerPlanLimits(customer),
        jobId: request.params.jobId,
        log: request.log,
      });
      return ok(result);
    },
  );
};
