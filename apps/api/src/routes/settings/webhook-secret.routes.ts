import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ok, successEnvelope } from '../../http/envelope.ts';
import { errorResponses } from '../../http/route-docs.ts';
import { requireCustomer } from '../../plugins/auth.plugin.ts';
import type { CustomerSettingsService } from '../../services/customer-settings-service.ts';
import { CreatedWebhookSecretSchema, WebhookSecretStatusSchema } from './settings.schemas.ts';

/** POST and GET /api/v1/settings/webhook-secret: the secret webhooks are signed with. */
export const webhookSecretRoutes: FastifyPluginAsyncTypebox<{
  settings: CustomerSettingsService;
}> = async (app, { settings }) => {
  app.post(
    '/api/v1/settings/webhook-secret',
    {
      schema: {
        summary: 'Create or rotate the webhook signing secret (returned once)',
        description:
          'Returns the new secret in this response only; store it now. After a rotation the ' +
          'previous secret keeps signing alongside the new one for 24 hours, so receivers can ' +
          'switch without dropping deliveries. No request body is needed.',
        tags: ['settings'],
        response: {
          201: successEnvelope(CreatedWebhookSecretSchema, {
            secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3BtJrN2zb2s=',
            createdAt: '2026-01-09T12:34:56.789Z',
            previousSecretExpiresAt: '2026-01-10T12:34:56.789Z',
          }),
          ...errorResponses(401, 403, 429),
        },
      },
    },
    async (request, reply) => {
      const created = await settings.rotateWebhookSecret(requireCustomer(request).customer.id);
      // A secret must never sit in a shared cache on its way to the customer.
      reply.header('Cache-Control', 'no-store');
      return reply.code(201).send(ok(created));
    },
  );

  app.get(
    '/api/v1/settings/webhook-secret',
    {
      schema: {
        summary: 'Show whether a webhook signing secret exists (never the secret itself)',
        tags: ['settings'],
        response: {
          200: successEnvelope(WebhookSecretStatusSchema, {
            configured: true,
            createdAt: '2026-01-09T12:34:56.789Z',
          }),
          ...errorResponses(401, 403, 429),
        },
      },
    },
    async (request) => ok(await settings.getWebhookSecret(requireCustomer(request).customer.id)),
  );
};
