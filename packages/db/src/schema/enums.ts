import { ATTEMPT_STATUSES, JOB_STATUSES, JOB_TYPES, PLAN_NAMES } from '@notifykit/core';
import { pgEnum } from 'drizzle-orm/pg-core';

/** Postgres enum `plan`. */
export const planEnum = pgEnum('plan', PLAN_NAMES);
/** Postgres enum `job_type`. */
export const jobTypeEnum = pgEnum('job_type', JOB_TYPES);
/** Postgres enum `job_status`. */
export const jobStatusEnum = pgEnum('job_status', JOB_STATUSES);
/** Postgres enum `attempt_status`. */
export const attemptStatusEnum = pgEnum('attempt_status', ATTEMPT_STATUSES);
