import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../dependencies.ts';

/** /api/v1/settings/sendgrid and /api/v1/settings/webhook-secret. */
export const settingsRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (
  _app,
  _options,
) => {
  // TODO(issue 3): routes land here.
};
