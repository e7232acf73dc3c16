import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ok, successEnvelope } from '../../http/envelope.ts';
import { errorResponses, withExamples } from '../../http/route-docs.ts';
import { requireCustomer } from '../../plugins/auth.plugin.ts';
import type { CustomerSettingsService } from '../../services/customer-settings-service.ts';
import { SendgridKeyBodySchema, SendgridKeyStatusSchema } from './settings.schemas.ts';

const EXAMPLE_KEY = 'SG.aBcDeFgHiJkLmNoPqRsTuV.wXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ0a1';
const CONFIGURED_EXAMPLE = {
  configured: true,
  lastFour: 'Z0a1',
  updatedAt: '2026-01-09T12:34:56.789Z',
};
const NOT_CONFIGURED_EXAMPLE = { configured: false, lastFour: null, updatedAt: null };

/** GET, PUT and DELETE /api/v1/settings/sendgrid: the customer's own SendGrid key. */
export const sendgridSettingsRoutes: FastifyPluginAsyncTypebox<{
  settings: CustomerSettingsService;
}> = async (app, { settings }) => {
  app.get(
    '/api/v1/settings/sendgrid',
    {
      schema: {
        summary: 'Show whether a SendGrid API key is stored (never the key itself)',
        tags: ['settings'],
        response: {
          200: successEnvelope(SendgridKeyStatusSchema, CONFIGURED_EXAMPLE),
          ...errorResponses(401, 403, 429),
        },
      },
    },
    async (request) => ok(await settings.getSendgridKey(requireCustomer(request).customer.id)),
  );

  app.put(
    '/api/v1/settings/sendgrid',
    {
      schema: {
        summary: 'Store (or replace) the SendGrid API key your emails are sent with',
        description:
          'Indie and startup plans send email through their own SendGrid key. Other plans may ' +
          'store one too (it is used after an upgrade). The key is encrypted at rest and only ' +
          'its last four characters are ever shown again.',
        tags: ['settings'],
        body: withExamples(SendgridKeyBodySchema, [{ apiKey: EXAMPLE_KEY }]),
        response: {
          200: successEnvelope(SendgridKeyStatusSchema, CONFIGURED_EXAMPLE),
          ...errorResponses(400, 401, 403, 413, 415, 429),
        },
      },
    },
    async (request) =>
      ok(await settings.setSendgridKey(requireCustomer(request).customer.id, request.body.apiKey)),
  );

  app.delete(
    '/api/v1/settings/sendgrid',
    {
      schema: {
        summary: 'Remove the stored SendGrid API key',
        description: 'Succeeds when no key is stored, so it is safe to repeat.',
        tags: ['settings'],
        response: {
          200: successEnvelope(SendgridKeyStatusSchema, NOT_CONFIGURED_EXAMPLE),
          ...errorResponses(401, 403, 429),
        },
      },
    },
    async (request) => ok(await settings.clearSendgridKey(requireCustomer(request).customer.id)),
  );
};
