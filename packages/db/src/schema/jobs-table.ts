import type { Priority } from '@notifykit/core';
import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  json,
  pgTable,
  smallint,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { timestamptz } from './column-types.ts';
import { customers } from './customers-table.ts';
import { jobStatusEnum, jobTypeEnum } from './enums.ts';

/** A stored request: email `{to, subject, body, from}` or webhook `{url, method, headers, payload}`. */
export type JobPayload = Record<string, unknown>;

/**
 * Jobs (`job_` ids), the source of truth for delivery state.
 * `attempts` is the budget counter and restarts at 0 on a manual retry; `attempt_sequence`
 * never goes back, so delivery log attempt numbers stay unique within a job.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    type: jobTypeEnum('type').notNull(),
    status: jobStatusEnum('status').notNull().default('pending'),
    priority: smallint('priority').$type<Priority>().notNull().default(5),
    payload: json('payload').$type<JobPayload>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    attemptSequence: integer('attempt_sequence').notNull().default(0),
    errorMessage: text('error_message'),
    idempotencyKey: text('idempotency_key'),
    requestFingerprint: text('request_fingerprint'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    startedAt: timestamptz('started_at'),
    completedAt: timestamptz('completed_at'),
    nextAttemptAt: timestamptz('next_attempt_at'),
  },
  (t) => [
    check('jobs_priority_check', sql`${t.priority} IN (1, 5, 10)`),
    check('jobs_attempts_check', sql`${t.attempts} >= 0 AND ${t.attempts} <= ${t.attemptSequence}`),
    check('jobs_max_attempts_check', sql`${t.maxAttempts} >= 1`),
    // A key without a fingerprint could never tell a replay from a conflicting reuse.
    check(
      'jobs_idempotency_check',
      sql`${t.idempotencyKey} IS NULL OR ${t.requestFingerprint} IS NOT NULL`,
    ),
    uniqueIndex('jobs_customer_idempotency_key_unique')
      .on(t.customerId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} IS NOT NULL`),
    // Customer-scoped listing, newest first, one index per filter combination so both the
    // page and the total count are index range scans. NULLS FIRST is spelled out because
    // drizzle-kit writes DESC NULLS LAST otherwise, which `ORDER BY created_at DESC` (nulls
    // first) cannot use without a sort.
    index('jobs_customer_created_idx').on(
      t.customerId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index('jobs_customer_status_created_idx').on(
      t.customerId,
      t.status,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index('jobs_customer_type_created_idx').on(
      t.customerId,
      t.type,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index('jobs_customer_type_status_created_idx').on(
      t.customerId,
      t.type,
      t.status,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // Sweeper: only live jobs, ordered by when they became due. The partial predicate keeps
    // the index as small as the backlog, not the history.
    index('jobs_sweeper_idx')
      .on(t.status, sql`coalesce(${t.nextAttemptAt}, ${t.updatedAt})`)
      .where(sql`${t.status} IN ('pending', 'processing')`),
  ],
);
