import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../dependencies.ts';

/** POST /api/v1/notifications/email and /webhook: validate, reserve quota, store, enqueue. */
export const sendRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (_app, _options) => {
  // TODO(issue 3): routes land here.
};
