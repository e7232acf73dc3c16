import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from './column-types.ts';
import { customers } from './customers-table.ts';
import { attemptStatusEnum } from './enums.ts';
import { jobs } from './jobs-table.ts';

/**
 * One row per delivery attempt (`att_` ids), kept across manual retries. `customer_id` is
 * denormalised so every read can be customer-scoped without a join.
 */
export const deliveryAttempts = pgTable(
  'delivery_attempts',
  {
    id: text('id').primaryKey(),
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    attemptNumber: integer('attempt_number').notNull(),
    status: attemptStatusEnum('status').notNull(),
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    errorMessage: text('error_message'),
    // A capped prefix of the response body; the caller enforces the cap.
    responsePrefix: text('response_prefix'),
    // SendGrid's X-Message-Id, to correlate with the provider's event webhooks.
    providerMessageId: text('provider_message_id'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('delivery_attempts_attempt_number_check', sql`${t.attemptNumber} >= 1`),
    check('delivery_attempts_duration_ms_check', sql`${t.durationMs} >= 0`),
    // Also serves "attempts of a job, oldest first".
    uniqueIndex('delivery_attempts_job_attempt_unique').on(t.jobId, t.attemptNumber),
  ],
);
