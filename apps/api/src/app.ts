import { maxHeaderSize } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyReply } from 'fastify';
import type { AppDeps } from './dependencies.ts';
import { clientErrorHandler } from './http/client-error.ts';
import { errorBody } from './http/envelope.ts';
import { typeBoxValidatorCompiler } from './http/validation.ts';
import { authPlugin } from './plugins/auth.plugin.ts';
import { errorHandlerPlugin } from './plugins/error-handler.plugin.ts';
import { metricsPlugin } from './plugins/metrics.plugin.ts';
import { openApiPlugin } from './plugins/openapi.plugin.ts';
import { rateLimitPlugin } from './plugins/rate-limit.plugin.ts';
import { requestIdFrom, requestIdPlugin } from './plugins/request-id.plugin.ts';
import { adminRoutes } from './routes/admin/admin.routes.ts';
import { healthRoutes } from './routes/health/health.routes.ts';
import { jobsRoutes } from './routes/jobs/jobs.routes.ts';
import { metaRoutes } from './routes/meta/meta.routes.ts';
import { sendRoutes } from './routes/notifications/send.routes.ts';
import { settingsRoutes } from './routes/settings/settings.routes.ts';

/** Largest accepted request body: a 512 KiB email body still fits after JSON escaping. */
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/** Builds the Fastify app without listening, so tests can drive it with `inject`. */
export async function buildApp(deps: AppDeps) {
  const app = Fastify({
    loggerInstance: deps.logger,
    genReqId: requestIdFrom,
    bodyLimit: BODY_LIMIT_BYTES,
    // Path ids are opaque strings: however long, one must reach its route, which answers 404
    // (after auth) for an id that cannot exist. Past maxParamLength the router would answer a
    // 400 with its own message instead; no URL Node accepts is longer than its header limit.
    routerOptions: { maxParamLength: maxHeaderSize },
    // Requests Node's HTTP parser refuses (URL or headers over its limit) get the envelope too.
    clientErrorHandler,
    // Errors raised before routing (a malformed URL) skip the error handler; answer them here.
    frameworkErrors: (error, request, reply) => {
      (reply as FastifyReply)
        .code(400)
        .header('X-Request-Id', request.id)
        .send(
          errorBody(error.code === 'FST_ERR_BAD_URL' ? 'Request URL is malformed' : error.message),
        );
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  // JSON is the only request format (CONTRACT §1); anything else is a 415.
  app.removeContentTypeParser(['text/plain']);
  // HTTP clients (the official SDK among them) send `Content-Type: application/json` on every
  // request, also on a retry or DELETE without a body; Fastify's parser would call that a 400.
  // An empty JSON body therefore means "no body"; a route that needs one says so on validation.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    parseJson(request, body.toString(), done);
  });
  app.setValidatorCompiler(typeBoxValidatorCompiler);

  await app.register(requestIdPlugin);
  await app.register(errorHandlerPlugin);
  await app.register(metricsPlugin, { deps });
  await app.register(openApiPlugin, { deps });
  await app.register(authPlugin, { deps });
  await app.register(rateLimitPlugin, { deps });

  await app.register(healthRoutes, { deps });
  await app.register(metaRoutes, { deps });
  await app.register(sendRoutes, { deps });
  await app.register(jobsRoutes, { deps });
  await app.register(settingsRoutes, { deps });
  await app.register(adminRoutes, { deps });
  return app;
}

/** The app as built, with its logger and type provider. */
export type App = Awaited<ReturnType<typeof buildApp>>;
