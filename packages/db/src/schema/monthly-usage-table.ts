import { sql } from 'drizzle-orm';
import { check, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './column-types.ts';
import { customers } from './customers-table.ts';

/**
 * Accepted sends per customer and calendar month. `period` is `YYYY-MM` in UTC: readable in
 * psql, sorts correctly, and cannot drift with the server's time zone the way a date could.
 */
export const monthlyUsage = pgTable(
  'monthly_usage',
  {
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    period: text('period').notNull(),
    emailCount: integer('email_count').notNull().default(0),
    webhookCount: integer('webhook_count').notNull().default(0),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'monthly_usage_pk', columns: [t.customerId, t.period] }),
    check('monthly_usage_period_check', sql`${t.period} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
    check('monthly_usage_counts_check', sql`${t.emailCount} >= 0 AND ${t.webhookCount} >= 0`),
  ],
);
