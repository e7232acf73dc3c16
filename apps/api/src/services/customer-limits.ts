import { type PlanLimits, resolvePlanLimits } from '@notifykit/core';
import type { CustomerRecord, LimitOverride } from '@notifykit/db';

// The database and core spell "no override" and "unlimited" differently: the db's
// LimitOverride uses null for "plan default" and 'unlimited' for no cap, while core's
// PlanOverrides uses undefined for "plan default" and null for no cap. This is the one place
// that translates, so the rate limiter and the quota can never disagree about a customer.

function toPlanOverride(override: LimitOverride): number | null | undefined {
  if (override === null) return undefined;
  if (override === 'unlimited') return null;
  return override;
}

/** The customer's effective limits: the plan's defaults with the operator's overrides applied. */
export function customerPlanLimits(
  customer: Pick<CustomerRecord, 'plan' | 'monthlyQuota' | 'rateLimitPerMinute'>,
): PlanLimits {
  return resolvePlanLimits(customer.plan, {
    monthlyQuota: toPlanOverride(customer.monthlyQuota),
    rateLimitPerMinute: toPlanOverride(customer.rateLimitPerMinute),
  });
}
