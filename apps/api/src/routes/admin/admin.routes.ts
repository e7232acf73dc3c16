import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../dependencies.ts';

/** /admin/v1 operator API (customers, plans, overrides, API keys). */
export const adminRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (_app, _options) => {
  // TODO(issue 3): routes land here.
};
