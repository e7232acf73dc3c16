import type { JobType } from '@notifykit/core';

/** One BullMQ queue per job type, so each worker app consumes only its own kind. */
export const QUEUE_NAMES: Readonly<Record<JobType, string>> = Object.freeze({
  email: 'notifykit-email',
  webhook: 'notifykit-webhook',
});

/** Default Redis key prefix for every BullMQ key; tests use their own per file. */
export const DEFAULT_QUEUE_PREFIX = 'notifykit';

/** What a queue entry carries: ids only, never payloads, addresses or secrets (house rule). */
export interface QueueJobData {
  jobId: string;
  customerId: string;
}
