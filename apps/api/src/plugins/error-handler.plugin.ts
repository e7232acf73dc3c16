import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError, SERVICE_UNAVAILABLE_MESSAGE } from '../http/api-error.ts';
import { errorBody } from '../http/envelope.ts';
import { isDependencyUnavailable } from '../http/infrastructure-errors.ts';

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Fastify's own client errors, reworded as sentences a client can act on. */
function frameworkError(error: FastifyError, bodyLimit: number): ApiError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError(400, 'Request body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, `Request body is too large (limit ${bodyLimit} bytes)`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'Content-Type must be application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(400, 'Request body size did not match Content-Length');
    default:
      break;
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return new ApiError(400, 'Request body is not valid JSON');
  }
  // Other framework 4xx errors carry fixed, non-sensitive messages.
  if (error.code?.startsWith('FST_') && error.statusCode && error.statusCode < 500) {
    return new ApiError(error.statusCode, error.message);
  }
  return undefined;
}

function send(reply: FastifyReply, error: ApiError) {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  const extra: Parameters<typeof errorBody>[1] = {};
  if (error.details) extra.details = error.details;
  if (error.retryAfter !== undefined) extra.retryAfter = error.retryAfter;
  return reply.code(error.statusCode).send(errorBody(error.message, extra));
}

/**
 * The one place errors become HTTP responses: every error, ours or Fastify's, leaves in the
 * contract's envelope, and nothing internal (stack, driver message) reaches the client.
 */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      if (error instanceof ApiError) {
        if (error.statusCode >= 500) request.log.error({ err: error }, 'request failed');
        return send(reply, error);
      }
      const mapped = frameworkError(error, app.initialConfig.bodyLimit ?? 0);
      if (mapped) return send(reply, mapped);
      if (isDependencyUnavailable(error)) {
        request.log.warn({ err: error }, 'dependency unavailable');
        return send(
          reply,
          new ApiError(503, SERVICE_UNAVAILABLE_MESSAGE, { headers: { 'Retry-After': '5' } }),
        );
      }
      request.log.error({ err: error }, 'unhandled error');
      return send(reply, new ApiError(500, 'Internal server error'));
    });

    app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.split('?')[0] ?? request.url;
      // findRoute matches a concrete path against route patterns (`/jobs/:jobId`), which
      // hasRoute does not. A route of the request's own method that still ends here answered
      // 404 itself (a missing static file), so that stays a 404.
      const allowed = HTTP_METHODS.filter(
        (method) => app.findRoute({ method, url: path }) !== null,
      );
      if (allowed.length > 0 && !allowed.includes(request.method as (typeof allowed)[number])) {
        return send(
          reply,
          new ApiError(405, `Method ${request.method} is not allowed on ${path}`, {
            headers: { Allow: allowed.join(', ') },
          }),
        );
      }
      return send(reply, new ApiError(404, `Route ${request.method} ${path} not found`));
    });
  },
  { name: 'error-handler' },
);
