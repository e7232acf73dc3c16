import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DEFAULT_PRIORITY, toEmailPayload, toWebhookPayload } from '@notifykit/core';
import type { FastifyReply } from 'fastify';
import type { AppDeps } from '../../dependencies.ts';
import { ok } from '../../http/envelope.ts';
import { requireCustomer } from '../../plugins/auth.plugin.ts';
import { customerPlanLimits } from '../../services/customer-limits.ts';
import { resolveIdempotencyKey, sendFingerprint } from '../../services/send-idempotency.ts';
import { assertEmailSendable, assertWebhookSendable } from '../../services/send-rules.ts';
import { acceptSend, type SendResult } from '../../services/send-service.ts';
import { sendEmailSchema, sendWebhookSchema } from './send.schemas.ts';

/** Response header that marks an idempotent replay (CONTRACT §3). */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

function accepted(reply: FastifyReply, result: SendResult) {
  if (result.replayed) reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  reply.code(202);
  return ok(result.accepted);
}

/**
 * POST /api/v1/notifications/email and /webhook. Order of checks: rate limit (plugin), schema,
 * content and plan rules, then the send service (Redis up, idempotency, quota, store, enqueue).
 */
export const sendRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post('/api/v1/notifications/email', { schema: sendEmailSchema }, async (request, reply) => {
    const { customer } = requireCustomer(request);
    const limits = customerPlanLimits(customer);
    const body = request.body;
    const key = resolveIdempotencyKey(request.headers['idempotency-key'], body.idempotencyKey);
    assertEmailSendable(body, customer, limits);
    const result = await acceptSend(deps, {
      customer,
      limits,
      type: 'email',
      payload: toEmailPayload(body),
      priority: body.priority ?? DEFAULT_PRIORITY,
      idempotency:
        key === undefined ? undefined : { key, fingerprint: sendFingerprint('email', body) },
      log: request.log,
    });
    return accepted(reply, result);
  });

  app.post(
    '/api/v1/notifications/webhook',
    { schema: sendWebhookSchema },
    async (request, reply) => {
      const { customer } = requireCustomer(request);
      const limits = customerPlanLimits(customer);
      const body = request.body;
      const key = resolveIdempotencyKey(request.headers['idempotency-key'], body.idempotencyKey);
      assertWebhookSendable(body, deps.env, deps.webhookDestinations);
      const result = await acceptSend(deps, {
        customer,
        limits,
        type: 'webhook',
        payload: toWebhookPayload(body),
        priority: body.priority ?? DEFAULT_PRIORITY,
        idempotency:
          key === undefined ? undefined : { key, fingerprint: sendFingerprint('webhook', body) },
        log: request.log,
      });
      return accepted(reply, result);
    },
  );
};
