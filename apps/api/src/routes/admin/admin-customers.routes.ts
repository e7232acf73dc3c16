import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ok, successEnvelope } from '../../http/envelope.ts';
import { errorResponses, withExamples } from '../../http/route-docs.ts';
import {
  CreateCustomerBodySchema,
  CreatedCustomerSchema,
  CustomerListSchema,
  CustomerParamsSchema,
  CustomerViewSchema,
  ListCustomersQuerySchema,
  UpdateCustomerBodySchema,
} from '../../services/customer-admin-schemas.ts';
import type { CustomerAdminService } from '../../services/customer-admin-service.ts';
import { API_KEY_EXAMPLE, CUSTOMER_EXAMPLE, PLAINTEXT_KEY_EXAMPLE } from './admin-examples.ts';

const OVERRIDES_DESCRIPTION =
  'monthlyQuota and rateLimitPerMinute are overrides of the plan defaults: a non-negative ' +
  'integer replaces the plan value (0 blocks sending), null goes back to the plan default, ' +
  'and "unlimited" removes the limit. effectiveLimits shows what is in force (null = unlimited). ' +
  'Changes apply to authentication and limits at once on this replica and within ' +
  'AUTH_CACHE_TTL_MS on the others.';

/** POST/GET /admin/v1/customers and GET/PATCH /admin/v1/customers/{id}. */
export const adminCustomersRoutes: FastifyPluginAsyncTypebox<{
  admin: CustomerAdminService;
}> = async (app, { admin }) => {
  app.post(
    '/admin/v1/customers',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Create a customer and its first API key (shown once)',
        tags: ['admin'],
        body: withExamples(CreateCustomerBodySchema, [
          { name: 'Acme Inc.', email: 'ops@acme.example', plan: 'startup' },
        ]),
        response: {
          201: successEnvelope(CreatedCustomerSchema, {
            customer: CUSTOMER_EXAMPLE,
            apiKey: PLAINTEXT_KEY_EXAMPLE,
            key: API_KEY_EXAMPLE,
          }),
          ...errorResponses(400, 401, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const created = await admin.createCustomer(request.body);
      reply.header('Cache-Control', 'no-store');
      return reply.code(201).send(ok(created));
    },
  );

  app.get(
    '/admin/v1/customers',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'List customers, newest first',
        tags: ['admin'],
        querystring: ListCustomersQuerySchema,
        response: {
          200: successEnvelope(CustomerListSchema, {
            data: [CUSTOMER_EXAMPLE],
            pagination: { page: 1, limit: 20, total: 1, totalPages: 1 },
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) =>
      ok(
        await admin.listCustomers({
          page: request.query.page ?? 1,
          limit: request.query.limit ?? 20,
        }),
      ),
  );

  app.get(
    '/admin/v1/customers/:id',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Show one customer with its effective limits',
        tags: ['admin'],
        params: CustomerParamsSchema,
        response: {
          200: successEnvelope(CustomerViewSchema, CUSTOMER_EXAMPLE),
          ...errorResponses(401, 404),
        },
      },
    },
    async (request) => ok(await admin.getCustomer(request.params.id)),
  );

  app.patch(
    '/admin/v1/customers/:id',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Change a customer: name, email, plan, activation, limit overrides',
        description: OVERRIDES_DESCRIPTION,
        tags: ['admin'],
        params: CustomerParamsSchema,
        body: withExamples(UpdateCustomerBodySchema, [
          { plan: 'startup', rateLimitPerMinute: 500, monthlyQuota: null },
          { isActive: false },
        ]),
        response: {
          200: successEnvelope(CustomerViewSchema, CUSTOMER_EXAMPLE),
          ...errorResponses(400, 401, 404, 413, 415),
        },
      },
    },
    async (request) => ok(await admin.updateCustomer(request.params.id, request.body)),
  );
};
