import type { JobType } from '@notifykit/core';
import { monthlyQuotaPeriod } from '@notifykit/core';
import { and, eq, sql } from 'drizzle-orm';
import type { Database, DatabaseExecutor } from './database-client.ts';
import { monthlyUsage } from './schema/monthly-usage-table.ts';

/** Accepted sends of one customer in one UTC calendar month. */
export interface MonthlyUsage {
  period: string;
  emailCount: number;
  webhookCount: number;
}

/**
 * Adds `by` sends of `type` to the customer's counter for the month containing `at` and
 * returns the new totals. A single upsert, so concurrent increments never lose an update.
 * Takes an executor so it can join a caller's transaction (see jobs insert `countUsage`).
 */
export async function incrementMonthlyUsage(
  executor: DatabaseExecutor,
  customerId: string,
  type: JobType,
  at: Date = new Date(),
  by = 1,
): Promise<MonthlyUsage> {
  const period = monthlyQuotaPeriod(at).key;
  const [row] = await executor
    .insert(monthlyUsage)
    .values({
      customerId,
      period,
      emailCount: type === 'email' ? by : 0,
      webhookCount: type === 'webhook' ? by : 0,
    })
    .onConflictDoUpdate({
      target: [monthlyUsage.customerId, monthlyUsage.period],
      set: {
        emailCount: sql`${monthlyUsage.emailCount} + excluded.email_count`,
        webhookCount: sql`${monthlyUsage.webhookCount} + excluded.webhook_count`,
        updatedAt: sql`now()`,
      },
    })
    .returning({
      period: monthlyUsage.period,
      emailCount: monthlyUsage.emailCount,
      webhookCount: monthlyUsage.webhookCount,
    });
  if (!row) throw new Error('usage upsert returned no row');
  return row;
}

/** Monthly usage counters, always scoped by customer id. */
export interface UsageRepository {
  increment(customerId: string, type: JobType, at?: Date): Promise<MonthlyUsage>;
  /** Usage for the month containing `at` (default now); zeros when nothing was sent. */
  get(customerId: string, at?: Date): Promise<MonthlyUsage>;
}

/** Usage persistence over `db`. */
export function createUsageRepository(db: Database): UsageRepository {
  return {
    increment: (customerId, type, at) => incrementMonthlyUsage(db, customerId, type, at),

    async get(customerId, at = new Date()) {
      const period = monthlyQuotaPeriod(at).key;
      const [row] = await db
        .select({
          period: monthlyUsage.period,
          emailCount: monthlyUsage.emailCount,
          webhookCount: monthlyUsage.webhookCount,
        })
        .from(monthlyUsage)
        .where(and(eq(monthlyUsage.customerId, customerId), eq(monthlyUsage.period, period)));
      return row ?? { period, emailCount: 0, webhookCount: 0 };
    },
  };
}
