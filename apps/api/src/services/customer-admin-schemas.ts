import {
  EmailAddressSchema,
  IsoDateTimeSchema,
  JobTypeSchema,
  PaginationSchema,
  PLAN_NAMES,
} from '@notifykit/core';
import Type, { type Static, type TSchema } from 'typebox';

// Request and response shapes of the operator API. The admin routes validate with them and the
// CLI validates its parsed flags with the very same schemas, so both refuse the same input with
// the same sentences.

function nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

/** Largest override the `integer` columns can hold. */
export const LIMIT_OVERRIDE_MAX = 2_147_483_647;
/** Longest customer name accepted. */
export const CUSTOMER_NAME_MAX_LENGTH = 200;

/** `free`, `indie`, `startup` or `enterprise`. */
export const PlanNameSchema = Type.Enum(PLAN_NAMES);

/** Tri-state override: a number replaces the plan value, null restores it, 'unlimited' lifts it. */
function limitOverride(field: string, unit: string) {
  return Type.Union(
    [
      Type.Integer({ minimum: 0, maximum: LIMIT_OVERRIDE_MAX }),
      Type.Null(),
      Type.Literal('unlimited'),
    ],
    {
      description: `${unit}: a non-negative integer overrides the plan (0 blocks), null restores the plan default, "unlimited" removes the limit.`,
      errorMessage: `${field} must be a non-negative integer, null (plan default) or "unlimited"`,
    },
  );
}

// Postgres text cannot hold NUL; refused here instead of failing the insert with a 500.
const CustomerNameSchema = Type.String({
  minLength: 1,
  maxLength: CUSTOMER_NAME_MAX_LENGTH,
  pattern: '^[^\\u0000]*$',
});

/** Body of POST /admin/v1/customers. */
export const CreateCustomerBodySchema = Type.Object(
  { name: CustomerNameSchema, email: EmailAddressSchema, plan: PlanNameSchema },
  { additionalProperties: false },
);
/** A validated create-customer request. */
export type CreateCustomerBody = Static<typeof CreateCustomerBodySchema>;

/** Body of PATCH /admin/v1/customers/{id}; absent fields stay unchanged. */
export const UpdateCustomerBodySchema = Type.Object(
  {
    name: Type.Optional(CustomerNameSchema),
    email: Type.Optional(EmailAddressSchema),
    plan: Type.Optional(PlanNameSchema),
    isActive: Type.Optional(Type.Boolean()),
    monthlyQuota: Type.Optional(limitOverride('monthlyQuota', 'Notifications per calendar month')),
    rateLimitPerMinute: Type.Optional(
      limitOverride('rateLimitPerMinute', 'Send requests per minute'),
    ),
  },
  { additionalProperties: false },
);
/** A validated customer patch. */
export type UpdateCustomerBody = Static<typeof UpdateCustomerBodySchema>;

/** Query of GET /admin/v1/customers (defaults: page 1, limit 20). */
export const ListCustomersQuerySchema = Type.Object({
  // Bounded so the page's OFFSET stays a safe integer (pageOffset refuses anything larger).
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, default: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

/** Path of the per-customer routes. */
export const CustomerParamsSchema = Type.Object({ id: Type.String() });
/** Path of the per-key routes. */
export const ApiKeyParamsSchema = Type.Object({ id: Type.String(), keyId: Type.String() });

/** Limits in force after overrides; null means unlimited. */
export const EffectiveLimitsSchema = Type.Object(
  {
    monthlyQuota: nullable(Type.Integer({ minimum: 0 })),
    quotaCounts: Type.Array(JobTypeSchema, { description: 'Job types charged against the quota' }),
    sendRateLimitPerMinute: nullable(Type.Integer({ minimum: 0 })),
    readRateLimitPerMinute: nullable(Type.Integer({ minimum: 0 })),
    emailKeySource: Type.Enum(['operator', 'customer'], {
      description: "Whose SendGrid key sends this customer's email",
    }),
  },
  { additionalProperties: false },
);

/** A customer as the operator sees it (never a key or secret). */
export const CustomerViewSchema = Type.Object(
  {
    id: Type.String({ description: 'cus_… id' }),
    name: Type.String(),
    email: Type.String(),
    plan: PlanNameSchema,
    isActive: Type.Boolean(),
    monthlyQuota: limitOverride('monthlyQuota', 'Notifications per calendar month'),
    rateLimitPerMinute: limitOverride('rateLimitPerMinute', 'Send requests per minute'),
    effectiveLimits: EffectiveLimitsSchema,
    sendgridKeyConfigured: Type.Boolean(),
    createdAt: IsoDateTimeSchema,
    updatedAt: IsoDateTimeSchema,
  },
  { additionalProperties: false },
);
/** A customer in admin responses and CLI JSON output. */
export type CustomerView = Static<typeof CustomerViewSchema>;

/** An API key without its hash or plaintext. */
export const ApiKeyViewSchema = Type.Object(
  {
    id: Type.String({ description: 'key_… id' }),
    lastFour: Type.String(),
    createdAt: IsoDateTimeSchema,
    revokedAt: nullable(IsoDateTimeSchema),
    lastUsedAt: nullable(IsoDateTimeSchema),
  },
  { additionalProperties: false },
);
/** An API key in admin responses and CLI JSON output. */
export type ApiKeyView = Static<typeof ApiKeyViewSchema>;

const PlaintextApiKeySchema = Type.String({
  pattern: '^nh_[0-9a-f]{64}$',
  description: 'The key itself; shown only in this response',
});

/** `data` of POST /admin/v1/customers. */
export const CreatedCustomerSchema = Type.Object(
  { customer: CustomerViewSchema, apiKey: PlaintextApiKeySchema, key: ApiKeyViewSchema },
  { additionalProperties: false },
);
/** A new customer with its first key. */
export type CreatedCustomer = Static<typeof CreatedCustomerSchema>;

/** `data` of POST /admin/v1/customers/{id}/api-keys. */
export const CreatedApiKeySchema = Type.Object(
  { apiKey: PlaintextApiKeySchema, key: ApiKeyViewSchema },
  { additionalProperties: false },
);
/** A new key for an existing customer. */
export type CreatedApiKey = Static<typeof CreatedApiKeySchema>;

/** `data` of GET /admin/v1/customers. */
export const CustomerListSchema = Type.Object(
  { data: Type.Array(CustomerViewSchema), pagination: PaginationSchema },
  { additionalProperties: false },
);
/** One page of customers. */
export type CustomerList = Static<typeof CustomerListSchema>;

/** `data` of GET /admin/v1/customers/{id}/api-keys. */
export const ApiKeyListSchema = Type.Object(
  { data: Type.Array(ApiKeyViewSchema) },
  { additionalProperties: false },
);
