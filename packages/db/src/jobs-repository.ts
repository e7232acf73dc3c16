import {
  DEFAULT_PRIORITY,
  type JobStatus,
  type JobType,
  newId,
  type Priority,
} from '@notifykit/core';
import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Database } from './database-client.ts';
import { type DeliveryAttemptRow, selectAttemptsForJob } from './delivery-attempts-repository.ts';
import { type PagedRows, pageOffset } from './pagination.ts';
import { type JobPayload, jobs } from './schema/jobs-table.ts';
import { incrementMonthlyUsage } from './usage-repository.ts';

/** A stored job. */
export type JobRow = typeof jobs.$inferSelect;

/** The columns of a job in listings (CONTRACT §4: no payload, startedAt, maxAttempts, logs). */
export type JobSummary = Pick<
  JobRow,
  'id' | 'type' | 'status' | 'priority' | 'attempts' | 'errorMessage' | 'createdAt' | 'completedAt'
>;

/** A job with its full delivery log. */
export interface JobWithAttempts {
  job: JobRow;
  deliveryAttempts: DeliveryAttemptRow[];
}

/** A job to create. */
export interface NewJob {
  customerId: string;
  type: JobType;
  payload: JobPayload;
  priority?: Priority;
  maxAttempts?: number;
  /**
   * Idempotency scope is the customer. The fingerprint must cover everything that makes two
   * requests "the same" (endpoint and canonical body), since it alone decides replay vs 422.
   */
  idempotency?: { key: string; fingerprint: string };
  /** Charge the month's usage in the same transaction, only when a row is really created. */
  countUsage?: boolean;
}

/** Outcome of {@link JobsRepository.insert}. */
export type InsertJobResult =
  | { created: true; job: JobRow }
  | { created: false; job: JobRow; fingerprintMatches: boolean };

/** Filters and page of {@link JobsRepository.listForCustomer}. */
export interface JobListQuery {
  page: number;
  limit: number;
  type?: JobType;
  status?: JobStatus;
}

/** Customer-facing job queries. Every method takes the customer id and never crosses it. */
export interface JobsRepository {
  /**
   * Inserts a pending job. With an idempotency key, concurrent inserts of one (customer, key)
   * create exactly one row; the others get that row back with `created: false`.
   */
  insert(input: NewJob): Promise<InsertJobResult>;
  findForCustomer(customerId: string, jobId: string): Promise<JobWithAttempts | null>;
  /** The customer's job created with this idempotency key, or null. */
  findByIdempotencyKey(customerId: string, idempotencyKey: string): Promise<JobRow | null>;
  /** Newest first (created_at desc, id desc). */
  listForCustomer(customerId: string, query: JobListQuery): Promise<PagedRows<JobSummary>>;
  /**
   * Moves a failed job back to pending with a fresh attempt budget. One conditional UPDATE,
   * so of two concurrent retries exactly one gets the row; null for any other status, another
   * customer's job or no such job.
   */
  retryFailed(customerId: string, jobId: string): Promise<JobRow | null>;
}

const summaryColumns = {
  id: jobs.id,
  type: jobs.type,
  status: jobs.status,
  priority: jobs.priority,
  attempts: jobs.attempts,
  errorMessage: jobs.errorMessage,
  createdAt: jobs.createdAt,
  completedAt: jobs.completedAt,
};

/** Job persistence over `db`. */
export function createJobsRepository(db: Database): JobsRepository {
  return {
    async insert(input) {
      return db.transaction(async (tx) => {
        // ON CONFLICT DO NOTHING waits for a concurrent uncommitted insert of the same key and
        // then yields nothing; the follow-up SELECT runs with a fresh snapshot (READ COMMITTED)
        // and so sees the winner's committed row.
        const [inserted] = await tx
          .insert(jobs)
          .values({
            id: newId('job'),
            customerId: input.customerId,
            type: input.type,
            payload: input.payload,
            priority: input.priority ?? DEFAULT_PRIORITY,
            maxAttempts: input.maxAttempts,
            idempotencyKey: input.idempotency?.key ?? null,
            requestFingerprint: input.idempotency?.fingerprint ?? null,
          })
          .onConflictDoNothing({
            target: [jobs.customerId, jobs.idempotencyKey],
            where: sql`idempotency_key IS NOT NULL`,
          })
          .returning();

        if (inserted) {
          if (input.countUsage) {
            await incrementMonthlyUsage(tx, input.customerId, input.type, inserted.createdAt);
          }
          return { created: true, job: inserted };
        }

        const idempotency = input.idempotency;
        if (!idempotency) throw new Error('job insert without idempotency key returned no row');
        const [existing] = await tx
          .select()
          .from(jobs)
          .where(
            and(eq(jobs.customerId, input.customerId), eq(jobs.idempotencyKey, idempotency.key)),
          );
        if (!existing) throw new Error('idempotency conflict without a visible job');
        return {
          created: false,
          job: existing,
          fingerprintMatches: existing.requestFingerprint === idempotency.fingerprint,
        };
      });
    },

    async findForCustomer(customerId, jobId) {
      // One snapshot for both reads, so the log never disagrees with the job's counters.
      return db.transaction(
        async (tx) => {
          const [job] = await tx
            .select()
            .from(jobs)
            .where(and(eq(jobs.id, jobId), eq(jobs.customerId, customerId)));
          if (!job) return null;
          return { job, deliveryAttempts: await selectAttemptsForJob(tx, customerId, jobId) };
        },
        { isolationLevel: 'repeatable read', accessMode: 'read only' },
      );
    },

    async findByIdempotencyKey(customerId, idempotencyKey) {
      const [row] = await db
        .select()
        .from(jobs)
        .where(and(eq(jobs.customerId, customerId), eq(jobs.idempotencyKey, idempotencyKey)));
      return row ?? null;
    },

    async listForCustomer(customerId, query) {
      const offset = pageOffset(query);
      const where = and(
        eq(jobs.customerId, customerId),
        query.type ? eq(jobs.type, query.type) : undefined,
        query.status ? eq(jobs.status, query.status) : undefined,
      );
      const [rows, totals] = await Promise.all([
        db
          .select(summaryColumns)
          .from(jobs)
          .where(where)
          .orderBy(desc(jobs.createdAt), desc(jobs.id))
          .limit(query.limit)
          .offset(offset),
        db.select({ total: count() }).from(jobs).where(where),
      ]);
      return { rows, total: totals[0]?.total ?? 0 };
    },

    async retryFailed(customerId, jobId) {
      // errorMessage is cleared: the job starts over, and every earlier failure stays readable
      // in its delivery log. startedAt keeps meaning "start of the latest attempt".
      const [row] = await db
        .update(jobs)
        .set({
          status: 'pending',
          attempts: 0,
          errorMessage: null,
          nextAttemptAt: null,
          completedAt: null,
          updatedAt: sql`now()`,
        })
        .where(and(eq(jobs.id, jobId), eq(jobs.customerId, customerId), eq(jobs.status, 'failed')))
        .returning();
      return row ?? null;
    },
  };
}
