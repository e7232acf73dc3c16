import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AppDeps } from '../../dependencies.ts';
import { ok, successEnvelope } from '../../http/envelope.ts';
import { errorResponses } from '../../http/route-docs.ts';

/** GET /api/v1/ping (authenticated pong) and GET /api/v1/info (public service description). */
export const metaRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app) => {
  app.get(
    '/api/v1/ping',
    {
      schema: {
        summary: 'Check that the API answers and the API key works',
        tags: ['meta'],
        response: {
          200: successEnvelope(Type.Object({ message: Type.Literal('pong') }), { message: 'pong' }),
          ...errorResponses(401, 403, 429),
        },
      },
    },
    async () => ok({ message: 'pong' as const }),
  );
};
