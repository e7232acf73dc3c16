import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './column-types.ts';
import { planEnum } from './enums.ts';

/**
 * Customers (`cus_` ids). Limits are tri-state per limit, so "plan default", "explicit number"
 * and "unlimited" stay distinguishable:
 * - `monthly_quota` NULL and `monthly_quota_unlimited` false: the plan's default applies;
 * - `monthly_quota` = n: override to n notifications per calendar month (0 blocks sending);
 * - `monthly_quota_unlimited` true (and `monthly_quota` NULL): no monthly cap at all.
 * `rate_limit_per_minute` / `rate_limit_unlimited` follow the same rule.
 */
export const customers = pgTable(
  'customers',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    plan: planEnum('plan').notNull().default('free'),
    isActive: boolean('is_active').notNull().default(true),
    monthlyQuota: integer('monthly_quota'),
    monthlyQuotaUnlimited: boolean('monthly_quota_unlimited').notNull().default(false),
    rateLimitPerMinute: integer('rate_limit_per_minute'),
    rateLimitUnlimited: boolean('rate_limit_unlimited').notNull().default(false),
    // AES-256-GCM ciphertext produced by the API; the database never sees the plaintext key.
    sendgridKeyCiphertext: text('sendgrid_key_ciphertext'),
    sendgridKeyLastFour: text('sendgrid_key_last_four'),
    sendgridKeyUpdatedAt: timestamptz('sendgrid_key_updated_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('customers_monthly_quota_check', sql`${t.monthlyQuota} >= 0`),
    check(
      'customers_monthly_quota_override_check',
      sql`NOT (${t.monthlyQuotaUnlimited} AND ${t.monthlyQuota} IS NOT NULL)`,
    ),
    check('customers_rate_limit_per_minute_check', sql`${t.rateLimitPerMinute} >= 0`),
    check(
      'customers_rate_limit_override_check',
      sql`NOT (${t.rateLimitUnlimited} AND ${t.rateLimitPerMinute} IS NOT NULL)`,
    ),
    // The three SendGrid columns are set and cleared together.
    check(
      'customers_sendgrid_key_check',
      sql`(${t.sendgridKeyCiphertext} IS NULL) = (${t.sendgridKeyLastFour} IS NULL)
        AND (${t.sendgridKeyCiphertext} IS NULL) = (${t.sendgridKeyUpdatedAt} IS NULL)`,
    ),
    // Operator listing, newest first.
    index('customers_created_at_idx').on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);
