import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AppDeps } from '../dependencies.ts';
import { ApiError } from '../http/api-error.ts';
import type { RateLimitDecision } from '../limits/rate-limiter.ts';
import { customerPlanLimits } from '../services/customer-limits.ts';
import { routeAuth } from './auth.plugin.ts';

/** The 429 sentence of CONTRACT §5. */
export const RATE_LIMIT_EXCEEDED_MESSAGE = 'Rate limit exceeded';

function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
  };
}

/**
 * Per-customer request rate limits (CONTRACT §5): reads (GET, HEAD) and everything else have
 * separate buckets, sized from the plan and the customer's override; unlimited plans skip the
 * check. All state lives in Redis, so every API replica enforces the same budget.
 *
 * Runs in onRequest right after auth, before the body is parsed, so a throttled client costs
 * one Redis round trip. Headers set here survive later errors: Fastify's error path keeps the
 * reply's headers (it only drops content-type and content-length), so a 400 or 404 on a
 * limited route still tells the client its budget.
 */
export const rateLimitPlugin = fp<{ deps: AppDeps }>(
  async (app: FastifyInstance, { deps }) => {
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (routeAuth(request) !== 'customer' || !request.authenticated) return;
      const { customer } = request.authenticated;
      const limits = customerPlanLimits(customer);
      const isRead = request.method === 'GET' || request.method === 'HEAD';
      const limit = isRead ? limits.readRateLimitPerMinute : limits.sendRateLimitPerMinute;
      if (limit === null) return;

      // A Redis failure surfaces as DependencyUnavailableError: 503, never "unlimited".
      const decision = await deps.rateLimiter.consume(customer.id, isRead ? 'read' : 'send', limit);
      const headers = rateLimitHeaders(decision);
      if (!decision.allowed) {
        throw new ApiError(429, RATE_LIMIT_EXCEEDED_MESSAGE, {
          headers: { ...headers, 'Retry-After': String(decision.retryAfterSeconds) },
          retryAfter: decision.retryAfterSeconds,
        });
      }
      reply.headers(headers);
    });
  },
  {
    name: 'rate-limit',
    dependencies: ['auth'],
  },
);
