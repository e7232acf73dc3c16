import type { ApiKeyRecord, CustomerRecord } from '@notifykit/db';
import type { ApiKeyView, CustomerView } from './customer-admin-schemas.ts';
import { customerPlanLimits } from './customer-limits.ts';

/** The operator's view of a customer: stored overrides plus the limits they resolve to. */
export function toCustomerView(customer: CustomerRecord): CustomerView {
  // The same resolution the rate limiter and quota use, so what the operator sees is enforced.
  const limits = customerPlanLimits(customer);
  return {
    id: customer.id,
    name: customer.name,
    email: customer.email,
    plan: customer.plan,
    isActive: customer.isActive,
    monthlyQuota: customer.monthlyQuota,
    rateLimitPerMinute: customer.rateLimitPerMinute,
    effectiveLimits: {
      monthlyQuota: limits.monthlyQuota,
      quotaCounts: [...limits.quotaCounts],
      sendRateLimitPerMinute: limits.sendRateLimitPerMinute,
      readRateLimitPerMinute: limits.readRateLimitPerMinute,
      emailKeySource: limits.emailKeySource,
    },
    sendgridKeyConfigured: customer.sendgridKey !== null,
    createdAt: customer.createdAt.toISOString(),
    updatedAt: customer.updatedAt.toISOString(),
  };
}

/** An API key as shown to the operator: never the hash. */
export function toApiKeyView(key: ApiKeyRecord): ApiKeyView {
  return {
    id: key.id,
    lastFour: key.lastFour,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  };
}
