import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AppDeps } from '../../dependencies.ts';
import { errorBody } from '../../http/envelope.ts';
import { checkReadiness } from './readiness-checks.ts';

const CheckSchema = Type.Union([Type.Literal('ok'), Type.Literal('down')]);
const ChecksSchema = Type.Object({ postgres: CheckSchema, redis: CheckSchema });

const ReadySchema = Type.Object(
  { status: Type.Literal('ready'), checks: ChecksSchema },
  {
    description: 'Postgres and Redis both answered',
    examples: [{ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } }],
  },
);

// A 503 is still an error of this API, so it carries the error envelope too (CONTRACT §1);
// `status` and `checks` are what probes and operators read.
const NotReadySchema = Type.Object(
  {
    success: Type.Literal(false),
    error: Type.String(),
    status: Type.Literal('unavailable'),
    checks: ChecksSchema,
    timestamp: Type.String({ format: 'date-time' }),
  },
  {
    description: 'At least one dependency did not answer in time',
    examples: [
      {
        success: false,
        error: 'Not ready: redis is down',
        status: 'unavailable',
        checks: { postgres: 'ok', redis: 'down' },
        timestamp: '2026-01-09T12:35:00.000Z',
      },
    ],
  },
);

/** Liveness (/health: the process runs) and readiness (/ready: Postgres and Redis answer). */
export const healthRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/health',
    {
      config: { auth: 'public' },
      schema: {
        summary: 'Liveness: 200 while the process runs (checks no dependency)',
        tags: ['operations'],
        response: {
          200: Type.Object(
            { status: Type.Literal('ok') },
            { description: 'The process is up', examples: [{ status: 'ok' }] },
          ),
        },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      config: { auth: 'public' },
      schema: {
        summary: 'Readiness: 200 only when Postgres and Redis both answer, else 503',
        tags: ['operations'],
        response: { 200: ReadySchema, 503: NotReadySchema },
      },
    },
    async (request, reply) => {
      const report = await checkReadiness({
        pool: deps.database.pool,
        redis: deps.redis,
        logger: request.log,
      });
      if (report.ready) return { status: 'ready' as const, checks: report.checks };
      const down = Object.entries(report.checks)
        .filter(([, result]) => result === 'down')
        .map(([name]) => name);
      const verb = down.length === 1 ? 'is' : 'are';
      return reply.code(503).send({
        ...errorBody(`Not ready: ${down.join(' and ')} ${verb} down`),
        status: 'unavailable' as const,
        checks: report.checks,
      });
    },
  );
};
