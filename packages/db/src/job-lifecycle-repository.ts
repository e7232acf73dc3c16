import { newId } from '@notifykit/core';
import { and, eq, sql } from 'drizzle-orm';
import type { Database, DatabaseExecutor } from './database-client.ts';
import type { JobRow } from './jobs-repository.ts';
import { deliveryAttempts } from './schema/delivery-attempts-table.ts';
import { jobs } from './schema/jobs-table.ts';

/** A job a worker now owns; `attemptSequence` identifies this claim and numbers its log entry. */
export type ClaimedJob = JobRow;

/** What the worker decided after one delivery attempt. */
export type AttemptOutcome =
  | { kind: 'completed' }
  | { kind: 'retry'; nextAttemptAt: Date; errorMessage: string }
  | { kind: 'failed'; errorMessage: string };

/** Measurements of one delivery attempt, as written to the delivery log. */
export interface AttemptDetails {
  durationMs: number;
  statusCode?: number | null;
  /** Defaults to the outcome's error message. */
  errorMessage?: string | null;
  /** Already capped by the caller. */
  responsePrefix?: string | null;
  providerMessageId?: string | null;
}

/** Input of {@link JobLifecycleRepository.recordAttemptOutcome}. */
export interface RecordAttemptInput {
  jobId: string;
  /** The `attemptSequence` returned by the claim this outcome belongs to. */
  attemptSequence: number;
  attempt: AttemptDetails;
  outcome: AttemptOutcome;
}

/** Result of recording an outcome; `applied: false` means the claim was stale. */
export type RecordAttemptResult =
  | { applied: false }
  | { applied: true; status: 'completed' | 'pending' | 'failed'; attemptId: string };

/** Options of {@link JobLifecycleRepository.claimJob}. */
export interface ClaimOptions {
  /**
   * Refuse a pending job whose `next_attempt_at` is more than this many ms in the future, so
   * a stray early queue entry cannot run a retry before its time. Omitted: claim regardless.
   */
  dueWithinMs?: number;
}

/** Where a job stands, for a worker deciding what to do with a queue entry it could not claim. */
export interface JobState {
  id: string;
  customerId: string;
  type: JobRow['type'];
  status: JobRow['status'];
  priority: number;
  attemptSequence: number;
  nextAttemptAt: Date | null;
  startedAt: Date | null;
}

/** Thresholds of {@link JobLifecycleRepository.findStaleJobs}. */
export interface StaleJobQuery {
  /** A pending job is stale once it has been due (next_attempt_at, else last update) this long. */
  pendingOlderThanMs: number;
  /** A processing job is stale once its attempt started this long ago (the lock window). */
  processingOlderThanMs: number;
  limit: number;
  /** Only jobs of this type (each worker sweeps its own queue); omitted: every type. */
  type?: JobRow['type'];
}

/** What the sweeper needs to re-enqueue a job. */
export interface StaleJob {
  id: string;
  customerId: string;
  type: JobRow['type'];
  status: JobRow['status'];
  priority: number;
  attemptSequence: number;
}

/**
 * Worker-side job transitions. Deliberately not customer-scoped: workers act on job ids that
 * came from our own queue, never from a client, and a job id is globally unique. Every write
 * is conditional on the state the caller observed, which is what makes duplicate queue entries
 * and stale workers harmless.
 */
export interface JobLifecycleRepository {
  /**
   * pending → processing, attempts+1, attempt_sequence+1; null when the job is not pending
   * (or, with `dueWithinMs`, not due yet).
   */
  claimJob(jobId: string, options?: ClaimOptions): Promise<ClaimedJob | null>;
  /** The job's current status and scheduling columns; null when there is no such job. */
  findJobState(jobId: string): Promise<JobState | null>;
  /**
   * Writes the attempt and the job's next state in one transaction, only if the job is still
   * processing under this claim. A `retry` with no budget left becomes `failed`.
   */
  recordAttemptOutcome(input: RecordAttemptInput): Promise<RecordAttemptResult>;
  /**
   * Hands a claimed job back (worker shutting down, or the sweeper reclaiming a dead worker's
   * job): pending again, or failed when its budget is spent. The claimed attempt still counts,
   * so a job that kills its worker every time cannot loop forever.
   */
  releaseClaim(
    jobId: string,
    attemptSequence: number,
    errorMessage: string,
    executor?: DatabaseExecutor,
  ): Promise<{ status: 'pending' | 'failed' } | null>;
  /**
   * Pending jobs overdue by the grace period and processing jobs past the lock window, oldest
   * first. Uses FOR UPDATE SKIP LOCKED: pass a transaction as `executor` and concurrent
   * sweepers split the work instead of re-enqueuing the same jobs.
   */
  findStaleJobs(query: StaleJobQuery, executor?: DatabaseExecutor): Promise<StaleJob[]>;
}

const msInterval = (ms: number) => sql`make_interval(secs => ${ms / 1000}::double precision)`;

/** What the sweeper needs of a job to re-enqueue it ({@link StaleJob}). */
const staleJobColumns = {
  id: jobs.id,
  customerId: jobs.customerId,
  type: jobs.type,
  status: jobs.status,
  priority: jobs.priority,
  attemptSequence: jobs.attemptSequence,
};

/** Worker-side job persistence over `db`. */
export function createJobLifecycleRepository(db: Database): JobLifecycleRepository {
  return {
    async claimJob(jobId, options = {}) {
      const due =
        options.dueWithinMs === undefined
          ? undefined
          : sql`(${jobs.nextAttemptAt} IS NULL
              OR ${jobs.nextAttemptAt} <= now() + ${msInterval(options.dueWithinMs)})`;
      const [row] = await db
        .update(jobs)
        .set({
          status: 'processing',
          attempts: sql`${jobs.attempts} + 1`,
          attemptSequence: sql`${jobs.attemptSequence} + 1`,
          startedAt: sql`now()`,
          nextAttemptAt: null,
          updatedAt: sql`now()`,
        })
        .where(and(eq(jobs.id, jobId), eq(jobs.status, 'pending'), due))
        .returning();
      return row ?? null;
    },

    async findJobState(jobId) {
      const [row] = await db
        .select({
          ...staleJobColumns,
          nextAttemptAt: jobs.nextAttemptAt,
          startedAt: jobs.startedAt,
        })
        .from(jobs)
        .where(eq(jobs.id, jobId));
      return row ?? null;
    },

    async recordAttemptOutcome({ jobId, attemptSequence, attempt, outcome }) {
      return db.transaction(async (tx): Promise<RecordAttemptResult> => {
        const next =
          outcome.kind === 'completed'
            ? { status: sql`'completed'::job_status`, errorMessage: null, completedAt: sql`now()` }
            : outcome.kind === 'failed'
              ? { status: sql`'failed'::job_status`, errorMessage: outcome.errorMessage }
              : {
                  status: sql`CASE WHEN ${jobs.attempts} >= ${jobs.maxAttempts}
                    THEN 'failed'::job_status ELSE 'pending'::job_status END`,
                  errorMessage: outcome.errorMessage,
                  nextAttemptAt: sql`CASE WHEN ${jobs.attempts} >= ${jobs.maxAttempts}
                    THEN NULL ELSE ${outcome.nextAttemptAt.toISOString()}::timestamptz END`,
                };
        // Updating first takes the row lock and proves the claim is current before anything is
        // written; a stale worker gets no row and inserts nothing.
        const [updated] = await tx
          .update(jobs)
          .set({ ...next, updatedAt: sql`now()` })
          .where(
            and(
              eq(jobs.id, jobId),
              eq(jobs.status, 'processing'),
              eq(jobs.attemptSequence, attemptSequence),
            ),
          )
          .returning({ customerId: jobs.customerId, status: jobs.status });
        if (!updated) return { applied: false };
        if (updated.status === 'processing') throw new Error('job left in processing');

        const attemptId = newId('att');
        await tx.insert(deliveryAttempts).values({
          id: attemptId,
          jobId,
          customerId: updated.customerId,
          attemptNumber: attemptSequence,
          status: outcome.kind === 'completed' ? 'success' : 'failed',
          statusCode: attempt.statusCode ?? null,
          durationMs: Math.max(0, Math.round(attempt.durationMs)),
          errorMessage:
            attempt.errorMessage !== undefined
              ? attempt.errorMessage
              : outcome.kind === 'completed'
                ? null
                : outcome.errorMessage,
          responsePrefix: attempt.responsePrefix ?? null,
          providerMessageId: attempt.providerMessageId ?? null,
        });
        return { applied: true, status: updated.status, attemptId };
      });
    },

    async releaseClaim(jobId, attemptSequence, errorMessage, executor = db) {
      const [row] = await executor
        .update(jobs)
        .set({
          status: sql`CASE WHEN ${jobs.attempts} >= ${jobs.maxAttempts}
            THEN 'failed'::job_status ELSE 'pending'::job_status END`,
          errorMessage,
          nextAttemptAt: null,
          updatedAt: sql`now()`,
        })
        .where(
          and(
            eq(jobs.id, jobId),
            eq(jobs.status, 'processing'),
            eq(jobs.attemptSequence, attemptSequence),
          ),
        )
        .returning({ status: jobs.status });
      if (!row) return null;
      return { status: row.status === 'failed' ? 'failed' : 'pending' };
    },

    async findStaleJobs(query, executor = db) {
      // coalesce(next_attempt_at, updated_at) is the expression of jobs_sweeper_idx.
      const dueAt = sql`coalesce(${jobs.nextAttemptAt}, ${jobs.updatedAt})`;
      return executor
        .select(staleJobColumns)
        .from(jobs)
        .where(
          and(
            query.type === undefined ? undefined : eq(jobs.type, query.type),
            sql`((${jobs.status} = 'pending' AND ${dueAt} < now() - ${msInterval(query.pendingOlderThanMs)})
              OR (${jobs.status} = 'processing'
                AND ${jobs.startedAt} < now() - ${msInterval(query.processingOlderThanMs)}))`,
          ),
        )
        .orderBy(dueAt)
        .limit(query.limit)
        .for('update', { skipLocked: true });
    },
  };
}
