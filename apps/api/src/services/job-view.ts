import {
  type DeliveryLog,
  type JobList,
  type JobPayload,
  type JobRecord,
  type JobSummary,
  maskHeaderValues,
  type SendAccepted,
  type WebhookPayload,
} from '@notifykit/core';
import type {
  DeliveryAttemptRow,
  JobRow,
  JobWithAttempts,
  PagedRows,
  JobSummary as StoredJobSummary,
} from '@notifykit/db';

// Rows → the contract's shapes (CONTRACT §3–4). Every absent value is an explicit null and
// every date an ISO string with milliseconds, so clients never have to guess.

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date === null ? null : date.toISOString());

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

/**
 * The stored request as a client may see it. Webhook header values are masked: they often
 * carry the receiver's credentials, and whoever can read a job need not learn them.
 */
function publicPayload(type: JobRow['type'], payload: Record<string, unknown>): JobPayload {
  if (type === 'email') {
    return {
      to: String(payload.to),
      subject: String(payload.subject),
      body: String(payload.body),
      from: typeof payload.from === 'string' ? payload.from : null,
    };
  }
  return {
    url: String(payload.url),
    method: payload.method as WebhookPayload['method'],
    headers: maskHeaderValues(stringRecord(payload.headers)),
    payload: (payload.payload ?? {}) as WebhookPayload['payload'],
  };
}

function toDeliveryLog(attempt: DeliveryAttemptRow): DeliveryLog {
  return {
    id: attempt.id,
    attempt: attempt.attemptNumber,
    status: attempt.status,
    statusCode: attempt.statusCode,
    durationMs: attempt.durationMs,
    errorMessage: attempt.errorMessage,
    createdAt: iso(attempt.createdAt),
  };
}

/** `data` of a 202 send answer; a replay shows the original job's acceptance. */
export function toSendAccepted(job: Pick<JobRow, 'id' | 'type' | 'createdAt'>): SendAccepted {
  return { jobId: job.id, status: 'pending', type: job.type, createdAt: iso(job.createdAt) };
}

/** The full job record of GET /api/v1/notifications/jobs/{jobId}, delivery logs oldest first. */
export function toJobRecord({ job, deliveryAttempts }: JobWithAttempts): JobRecord {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    priority: job.priority,
    payload: publicPayload(job.type, job.payload),
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    errorMessage: job.errorMessage,
    createdAt: iso(job.createdAt),
    startedAt: isoOrNull(job.startedAt),
    completedAt: isoOrNull(job.completedAt),
    nextAttemptAt: isoOrNull(job.nextAttemptAt),
    deliveryLogs: deliveryAttempts.map(toDeliveryLog),
  };
}

/** One entry of the job list: exactly the summary fields, nothing more. */
export function toJobSummary(job: StoredJobSummary): JobSummary {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    priority: job.priority,
    attempts: job.attempts,
    errorMessage: job.errorMessage,
    createdAt: iso(job.createdAt),
    completedAt: isoOrNull(job.completedAt),
  };
}

/** `data` of GET /api/v1/notifications/jobs for one page. */
export function toJobList(
  page: PagedRows<StoredJobSummary>,
  query: { page: number; limit: number },
): JobList {
  return {
    data: page.rows.map(toJobSummary),
    pagination: {
      page: query.page,
      limit: query.limit,
      total: page.total,
      totalPages: Math.ceil(page.total / query.limit),
    },
  };
}
