import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../dependencies.ts';
import { createCustomerSettingsService } from '../../services/customer-settings-service.ts';
import { sendgridSettingsRoutes } from './sendgrid-settings.routes.ts';
import { webhookSecretRoutes } from './webhook-secret.routes.ts';

/** /api/v1/settings/sendgrid and /api/v1/settings/webhook-secret. */
export const settingsRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (
  app,
  { deps },
) => {
  const settings = createCustomerSettingsService({
    customers: deps.repositories.customers,
    webhookSecrets: deps.repositories.webhookSecrets,
    secretBox: deps.secretBox,
    onCustomerChanged: (customerId) => deps.authCache.evictCustomer(customerId),
  });
  await app.register(sendgridSettingsRoutes, { settings });
  await app.register(webhookSecretRoutes, { settings });
};
