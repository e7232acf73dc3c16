import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AppDeps } from '../../dependencies.ts';

/** Liveness (/health) and readiness (/ready). TODO(issue 3): /ready checks Postgres and Redis. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app) => {
  app.get(
    '/health',
    {
      config: { auth: 'public' },
      schema: {
        hide: true,
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
};
