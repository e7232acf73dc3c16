import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../dependencies.ts';
import { createCustomerAdminService } from '../../services/customer-admin-service.ts';
import { adminApiKeysRoutes } from './admin-api-keys.routes.ts';
import { adminCustomersRoutes } from './admin-customers.routes.ts';

/**
 * /admin/v1 operator API (customers, plans, overrides, API keys). Without ADMIN_TOKEN nothing
 * is registered, so every admin path is a plain unknown route (404) and the API does not even
 * reveal that an admin surface exists.
 */
export const adminRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  if (!deps.env.ADMIN_TOKEN) return;
  const admin = createCustomerAdminService({
    customers: deps.repositories.customers,
    apiKeys: deps.repositories.apiKeys,
    onCustomerChanged: (customerId) => deps.authCache.evictCustomer(customerId),
  });
  await app.register(adminCustomersRoutes, { admin });
  await app.register(adminApiKeysRoutes, { admin });
};
