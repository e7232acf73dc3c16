import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AppDeps } from '../dependencies.ts';

/** Per-customer request rate limits (send and read buckets) in Redis. TODO(issue 3). */
export const rateLimitPlugin = fp<{ deps: AppDeps }>(
  async (_app: FastifyInstance, _options) => {},
  {
    name: 'rate-limit',
    dependencies: ['auth'],
  },
);
