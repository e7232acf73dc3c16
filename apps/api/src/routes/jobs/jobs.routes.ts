import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../dependencies.ts';

/** GET /api/v1/notifications/jobs, GET .../jobs/:jobId, POST .../jobs/:jobId/retry. */
export const jobsRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (_app, _options) => {
  // TODO(issue 3): routes land here.
};
