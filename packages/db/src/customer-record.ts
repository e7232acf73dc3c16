import type { PlanName } from '@notifykit/core';
import type { customers } from './schema/customers-table.ts';

/** A limit override: null = the plan's default, a number = that limit, 'unlimited' = no limit. */
export type LimitOverride = number | 'unlimited' | null;

/** Metadata of a stored SendGrid key; the ciphertext is fetched separately on purpose. */
export interface SendgridKeyMetadata {
  lastFour: string;
  updatedAt: Date;
}

/** A customer as the rest of the system sees it (no secrets). */
export interface CustomerRecord {
  id: string;
  name: string;
  email: string;
  plan: PlanName;
  isActive: boolean;
  monthlyQuota: LimitOverride;
  rateLimitPerMinute: LimitOverride;
  sendgridKey: SendgridKeyMetadata | null;
  createdAt: Date;
  updatedAt: Date;
}

type CustomerRow = typeof customers.$inferSelect;

function toOverride(value: number | null, unlimited: boolean): LimitOverride {
  return unlimited ? 'unlimited' : value;
}

/** The two columns that store one {@link LimitOverride}. */
export function overrideColumns(override: LimitOverride): {
  value: number | null;
  unlimited: boolean;
} {
  if (override === 'unlimited') return { value: null, unlimited: true };
  return { value: override, unlimited: false };
}

/** Maps a `customers` row to a {@link CustomerRecord}, dropping the key ciphertext. */
export function toCustomerRecord(row: CustomerRow): CustomerRecord {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    plan: row.plan,
    isActive: row.isActive,
    monthlyQuota: toOverride(row.monthlyQuota, row.monthlyQuotaUnlimited),
    rateLimitPerMinute: toOverride(row.rateLimitPerMinute, row.rateLimitUnlimited),
    sendgridKey:
      row.sendgridKeyLastFour !== null && row.sendgridKeyUpdatedAt !== null
        ? { lastFour: row.sendgridKeyLastFour, updatedAt: row.sendgridKeyUpdatedAt }
        : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
