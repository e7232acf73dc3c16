import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { AppDeps } from '../dependencies.ts';
import { registerDatabasePoolMetrics } from '../metrics/database-pool-metrics.ts';
import { createHttpMetrics } from '../metrics/http-metrics.ts';
import { registerQueueMetrics } from '../metrics/queue-metrics.ts';

/**
 * Prometheus metrics at GET /metrics: HTTP traffic, process, queue and Postgres pool. Each app
 * has its own registry (never prom-client's global one), so several apps can live in one
 * process, as they do in tests. Operators should keep /metrics off the public internet.
 */
export const metricsPlugin = fp<{ deps: AppDeps }>(
  async (app: FastifyInstance, { deps }) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const http = createHttpMetrics(registry);
    registerQueueMetrics(registry, deps.producer, deps.logger);
    registerDatabasePoolMetrics(registry, deps.database.pool, deps.env.DATABASE_POOL_MAX);

    app.addHook('onResponse', async (request, reply) => {
      http.observe(
        request.method,
        request.routeOptions.url,
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
    });

    app.get(
      '/metrics',
      { config: { auth: 'public' }, schema: { hide: true } },
      async (_request, reply) => {
        const text = await registry.metrics();
        return reply.type(registry.contentType).send(text);
      },
    );
  },
  { name: 'metrics' },
);
