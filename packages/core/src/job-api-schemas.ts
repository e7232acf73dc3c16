import Type, { type Static, type TSchema } from 'typebox';
import { ATTEMPT_STATUSES, JOB_STATUSES, JOB_TYPES } from './job-model.ts';
import { JobPayloadSchema } from './job-payloads.ts';
import { PrioritySchema } from './send-request-schemas.ts';

// Response and query schemas of the Jobs API (CONTRACT §3–4). Absent values are null, never
// omitted, so every optional fact is a union with null rather than a Type.Optional.

function nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

/** ISO-8601 UTC timestamp with milliseconds, as produced by Date#toISOString. */
export const IsoDateTimeSchema = Type.String({
  format: 'date-time',
  examples: ['2026-01-09T12:34:56.789Z'],
});

/** `email` or `webhook`. */
export const JobTypeSchema = Type.Enum(JOB_TYPES);

/** `pending`, `processing`, `completed` or `failed`. */
export const JobStatusSchema = Type.Enum(JOB_STATUSES);

/** One delivery attempt as shown in a job record. */
export const DeliveryLogSchema = Type.Object(
  {
    id: Type.String({ description: 'att_… id' }),
    attempt: Type.Integer({ minimum: 1 }),
    status: Type.Enum(ATTEMPT_STATUSES),
    statusCode: nullable(Type.Integer({ description: 'HTTP status, null when none was received' })),
    durationMs: Type.Integer({ minimum: 0 }),
    errorMessage: nullable(Type.String()),
    createdAt: IsoDateTimeSchema,
  },
  { additionalProperties: false },
);
/** A delivery log entry in API responses. */
export type DeliveryLog = Static<typeof DeliveryLogSchema>;

/** Full job record returned by GET /api/v1/notifications/jobs/{jobId}. */
export const JobRecordSchema = Type.Object(
  {
    id: Type.String({ description: 'job_… id' }),
    type: JobTypeSchema,
    status: JobStatusSchema,
    priority: PrioritySchema,
    payload: JobPayloadSchema,
    attempts: Type.Integer({ minimum: 0 }),
    maxAttempts: Type.Integer({ minimum: 1 }),
    errorMessage: nullable(Type.String()),
    createdAt: IsoDateTimeSchema,
    startedAt: nullable(IsoDateTimeSchema),
    completedAt: nullable(IsoDateTimeSchema),
    nextAttemptAt: nullable(IsoDateTimeSchema),
    deliveryLogs: Type.Array(DeliveryLogSchema),
  },
  { additionalProperties: false },
);
/** A job record in API responses. */
export type JobRecord = Static<typeof JobRecordSchema>;

/** One row of GET /api/v1/notifications/jobs: exactly these fields, nothing more. */
export const JobSummarySchema = Type.Object(
  {
    id: Type.String(),
    type: JobTypeSchema,
    status: JobStatusSchema,
    priority: PrioritySchema,
    attempts: Type.Integer({ minimum: 0 }),
    errorMessage: nullable(Type.String()),
    createdAt: IsoDateTimeSchema,
    completedAt: nullable(IsoDateTimeSchema),
  },
  { additionalProperties: false },
);
/** A job summary in list responses. */
export type JobSummary = Static<typeof JobSummarySchema>;

/** Page metadata of list responses. */
export const PaginationSchema = Type.Object(
  {
    page: Type.Integer({ minimum: 1 }),
    limit: Type.Integer({ minimum: 1, maximum: 100 }),
    total: Type.Integer({ minimum: 0 }),
    totalPages: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
/** Page metadata of list responses. */
export type Pagination = Static<typeof PaginationSchema>;

/** `data` of GET /api/v1/notifications/jobs. */
export const JobListSchema = Type.Object(
  { data: Type.Array(JobSummarySchema), pagination: PaginationSchema },
  { additionalProperties: false },
);
/** `data` of the job list response. */
export type JobList = Static<typeof JobListSchema>;

/** Query of GET /api/v1/notifications/jobs, with the contract's defaults. */
export const ListJobsQuerySchema = Type.Object({
  // Bounded so the page's OFFSET stays a safe integer (pageOffset refuses anything larger).
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, default: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  type: Type.Optional(JobTypeSchema),
  status: Type.Optional(JobStatusSchema),
});
/** Parsed job list query. */
export type ListJobsQuery = Static<typeof ListJobsQuerySchema>;

/** `data` of the 202 answer to both send endpoints. */
export const SendAcceptedSchema = Type.Object(
  {
    jobId: Type.String(),
    status: Type.Literal('pending'),
    type: JobTypeSchema,
    createdAt: IsoDateTimeSchema,
  },
  { additionalProperties: false },
);
/** `data` of a 202 send response. */
export type SendAccepted = Static<typeof SendAcceptedSchema>;

/** `data` of a successful POST /api/v1/notifications/jobs/{jobId}/retry. */
export const RetryAcceptedSchema = Type.Object(
  {
    jobId: Type.String(),
    status: Type.Literal('pending'),
    message: Type.Literal('Job has been re-queued for processing'),
  },
  { additionalProperties: false },
);
/** `data` of a successful retry response. */
export type RetryAccepted = Static<typeof RetryAcceptedSchema>;
