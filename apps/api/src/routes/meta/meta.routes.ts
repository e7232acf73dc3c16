import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AppDeps } from '../../dependencies.ts';
import { ok, successEnvelope } from '../../http/envelope.ts';
import { errorResponses } from '../../http/route-docs.ts';
import { SERVICE_INFO } from './service-info.ts';

const ApiInfoSchema = Type.Object(
  {
    name: Type.String(),
    version: Type.String({ description: 'Version of the running API' }),
    description: Type.String(),
    documentation: Type.String({ description: 'Where the API is documented (operator setting)' }),
  },
  { additionalProperties: false },
);

/** GET /api/v1/ping (authenticated pong) and GET /api/v1/info (public service description). */
export const metaRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
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

  const info = {
    name: SERVICE_INFO.name,
    version: SERVICE_INFO.version,
    description: SERVICE_INFO.description,
    documentation: deps.env.DOCS_URL,
  };
  app.get(
    '/api/v1/info',
    {
      config: { auth: 'public' },
      schema: {
        summary: 'Describe this NotifyKit server: name, version, documentation (no API key needed)',
        tags: ['meta'],
        response: { 200: successEnvelope(ApiInfoSchema, info) },
      },
    },
    async () => ok(info),
  );
};
