/** The two kinds of notification a job can deliver. */
export const JOB_TYPES = ['email', 'webhook'] as const;
/** One of {@link JOB_TYPES}. */
export type JobType = (typeof JOB_TYPES)[number];

/** Job lifecycle states (CONTRACT §4). */
export const JOB_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
/** One of {@link JOB_STATUSES}. */
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Queue priorities: 1 high, 5 normal (default), 10 low. Lower number is served first by BullMQ. */
export const PRIORITIES = [1, 5, 10] as const;
/** One of {@link PRIORITIES}. */
export type Priority = (typeof PRIORITIES)[number];
/** Priority used when a send request names none. */
export const DEFAULT_PRIORITY: Priority = 5;

/** Outcome of one delivery attempt as stored in delivery logs. */
export const ATTEMPT_STATUSES = ['success', 'failed'] as const;
/** One of {@link ATTEMPT_STATUSES}. */
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

/** Attempt budget of a new job unless the operator configures another (CONTRACT §7). */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** True for exactly 1, 5 or 10 (not "5", not 5.0000001). */
export function isPriority(value: unknown): value is Priority {
  return (PRIORITIES as readonly unknown[]).includes(value);
}

/** True for a known job type. */
export function isJobType(value: unknown): value is JobType {
  return (JOB_TYPES as readonly unknown[]).includes(value);
}

/** True for a known job status. */
export function isJobStatus(value: unknown): value is JobStatus {
  return (JOB_STATUSES as readonly unknown[]).includes(value);
}
