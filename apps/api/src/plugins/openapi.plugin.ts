import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AppDeps } from '../dependencies.ts';

/** OpenAPI document at /openapi.json and interactive docs at /docs. TODO(issue 3). */
export const openApiPlugin = fp<{ deps: AppDeps }>(async (_app: FastifyInstance, _options) => {}, {
  name: 'openapi',
});
