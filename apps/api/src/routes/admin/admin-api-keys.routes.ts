import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ok, successEnvelope } from '../../http/envelope.ts';
import { errorResponses } from '../../http/route-docs.ts';
import {
  ApiKeyListSchema,
  ApiKeyParamsSchema,
  ApiKeyViewSchema,
  CreatedApiKeySchema,
  CustomerParamsSchema,
} from '../../services/customer-admin-schemas.ts';
import type { CustomerAdminService } from '../../services/customer-admin-service.ts';
import { API_KEY_EXAMPLE, PLAINTEXT_KEY_EXAMPLE } from './admin-examples.ts';

/** POST/GET /admin/v1/customers/{id}/api-keys and DELETE .../api-keys/{keyId}. */
export const adminApiKeysRoutes: FastifyPluginAsyncTypebox<{
  admin: CustomerAdminService;
}> = async (app, { admin }) => {
  app.post(
    '/admin/v1/customers/:id/api-keys',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Issue another API key for a customer (shown once)',
        description:
          'Existing keys keep working, so a customer can rotate without downtime: deploy the ' +
          'new key, then revoke the old one.',
        tags: ['admin'],
        params: CustomerParamsSchema,
        response: {
          201: successEnvelope(CreatedApiKeySchema, {
            apiKey: PLAINTEXT_KEY_EXAMPLE,
            key: { ...API_KEY_EXAMPLE, lastUsedAt: null },
          }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (request, reply) => {
      const created = await admin.createApiKey(request.params.id);
      reply.header('Cache-Control', 'no-store');
      return reply.code(201).send(ok(created));
    },
  );

  app.get(
    '/admin/v1/customers/:id/api-keys',
    {
      config: { auth: 'admin' },
      schema: {
        summary: "List a customer's API keys, revoked ones included (never the keys themselves)",
        tags: ['admin'],
        params: CustomerParamsSchema,
        response: {
          200: successEnvelope(ApiKeyListSchema, { data: [API_KEY_EXAMPLE] }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (request) => ok({ data: await admin.listApiKeys(request.params.id) }),
  );

  app.delete(
    '/admin/v1/customers/:id/api-keys/:keyId',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Revoke an API key',
        description:
          'The key stops authenticating at once on this replica and within AUTH_CACHE_TTL_MS ' +
          'on the others. Revoking a revoked key answers the same record again.',
        tags: ['admin'],
        params: ApiKeyParamsSchema,
        response: {
          200: successEnvelope(ApiKeyViewSchema, {
            ...API_KEY_EXAMPLE,
            revokedAt: '2026-01-10T08:00:00.000Z',
          }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (request) => ok(await admin.revokeApiKey(request.params.id, request.params.keyId)),
  );
};
