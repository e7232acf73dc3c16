// A stand-in for the official NotifyKit TypeScript SDK (`@notifykit/sdk` 2.0.0, not installable
// here) that behaves on the wire exactly as CONTRACT.md's top section says the SDK does, so the
// end-to-end tests can prove the server works with it unchanged:
//
// - native fetch; `X-API-Key` and `Content-Type: application/json` on every request (GETs and
//   the body-less retry POST included); a 10 s timeout per request;
// - success = 2xx and `success !== false` → `body.data`; otherwise a NotifyKitApiError carrying
//   the status and `body.error`;
// - 5xx and 429 are retried up to two times for every method, POST included; a 429 that
//   carries `retryAfter` waits min(retryAfter, 10) s;
// - `page`, `limit`, `type`, `status` as query strings (undefined omitted); job ids unencoded
//   in paths;
// - verifyWebhookSignature as CONTRACT §6 describes it.
//
// What the contract leaves open is marked "assumption" below. None of it changes what the
// server sees beyond timing.

import { verifyWebhookSignature } from '@notifykit/testing';

/** The SDK's request timeout. */
export const SDK_TIMEOUT_MS = 10_000;
/** How many times the SDK repeats a request answered with 5xx or 429. */
export const SDK_MAX_RETRIES = 2;
/** The longest the SDK waits on a 429, whatever `retryAfter` says. */
export const SDK_MAX_RETRY_AFTER_SECONDS = 10;
/** Largest accepted signature age in seconds (CONTRACT §6). */

/** What the client needs; `fetch` and `retryDelayMs` only let tests observe and speed it up. */
export interface WireClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Defaults to {@link SDK_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Defaults to the global fetch; a test may wrap it to record the wire. */
  fetch?: typeof fetch;
  /**
   * Wait before repeating a 5xx, or a 429 without `retryAfter` (assumption: the contract names
   * no delay for these; 1 s, doubling, is what such SDKs do). Defaults to 1000 ms.
   */
  retryDelayMs?: number;
}

/** Body of POST /api/v1/notifications/email, passed through as given. */
export interface SendEmailParams {
  to: string;
  subject: string;
  body: string;
  from?: string;
  priority?: number;
  idempotencyKey?: string;
  provider?: string;
}

/** Body of POST /api/v1/notifications/webhook, passed through as given. */
export interface SendWebhookParams {
  url: string;
  method?: string;
  payload: Record<string, unknown>;
  headers?: Record<string, string>;
  priority?: number;
  idempotencyKey?: string;
}

/** Query of GET /api/v1/notifications/jobs. */
export interface ListJobsParams {
  page?: number;
  limit?: number;
  type?: string;
  status?: string;
}

/** The `data` of a 202 send answer. */
export interface SendAccepted {
  jobId: string;
  status: string;
  type: string;
  createdAt: string;
}

/** One entry of a job's `deliveryLogs`. */
export interface DeliveryLog {
  id: string;
  attempt: number;
  status: string;
  statusCode: number | null;
  durationMs: number | null;
  errorMessage: string | null;
  createdAt: string;
}

/** The job record of GET /api/v1/notifications/jobs/{jobId}. */
export interface JobRecord {
  id: string;
  type: string;
  status: string;
  priority: number;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  errorMessage: string | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  nextAttemptAt: string | null;
  deliveryLogs: DeliveryLog[];
}

/** One entry of the job list. */
export interface JobSummary {
  id: string;
  type: string;
  status: string;
  priority: number;
  attempts: number;
  errorMessage: string | null;
  createdAt: string;
  completedAt: string | null;
}

/** `data` of GET /api/v1/notifications/jobs. */
export interface JobList {
  data: JobSummary[];
  pagination: { page: number; limit: number; total: number; totalPages: number };
}

/** `data` of POST /api/v1/notifications/jobs/{jobId}/retry. */
export interface RetryAccepted {
  jobId: string;
  status: string;
  message: string;
}

/** `data` of GET /api/v1/info. */
export interface ApiInfo {
  name: string;
  version: string;
  description: string;
  documentation: string;
}

/** What the SDK raises for an answer that is not a success: the status and `body.error`. */
export class NotifyKitApiError extends Error {
  readonly status: number;
  /** `body.error`, the server's sentence (undefined when the body had none). */
  readonly error: string | undefined;
  /** The parsed body (null when it was not JSON), e.g. for `retryAfter` or `details`. */
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    const error = bodyField(body, 'error');
    super(typeof error === 'string' ? error : `Request failed with status ${status}`);
    this.name = 'NotifyKitApiError';
    this.status = status;
    this.error = typeof error === 'string' ? error : undefined;
    this.body = body;
  }
}

function bodyField(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * How long the SDK waits before repeat number `retry` (0-based) of a retryable answer:
 * min(retryAfter, 10) s on a 429 carrying `retryAfter`, else the fallback backoff.
 */
export function sdkRetryWaitMs(
  status: number,
  body: unknown,
  retry: number,
  retryDelayMs: number,
): number {
  const retryAfter = bodyField(body, 'retryAfter');
  if (status === 429 && typeof retryAfter === 'number' && Number.isFinite(retryAfter)) {
    return Math.max(0, Math.min(retryAfter, SDK_MAX_RETRY_AFTER_SECONDS)) * 1000;
  }
  return retryDelayMs * 2 ** retry;
}

/** A NotifyKitClient as seen on the wire. */
export class SdkWireClient {
  readonly baseUrl: string;
  readonly #apiKey: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #retryDelayMs: number;

  constructor(options: WireClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#apiKey = options.apiKey;
    this.#timeoutMs = options.timeoutMs ?? SDK_TIMEOUT_MS;
    this.#fetch = options.fetch ?? fetch;
    this.#retryDelayMs = options.retryDelayMs ?? 1000;
  }

  sendEmail(params: SendEmailParams): Promise<SendAccepted> {
    return this.#request('POST', '/api/v1/notifications/email', params);
  }

  sendWebhook(params: SendWebhookParams): Promise<SendAccepted> {
    return this.#request('POST', '/api/v1/notifications/webhook', params);
  }

  getJob(jobId: string): Promise<JobRecord> {
    return this.#request('GET', `/api/v1/notifications/jobs/${jobId}`);
  }

  listJobs(params: ListJobsParams = {}): Promise<JobList> {
    const query = new URLSearchParams();
    for (const name of ['page', 'limit', 'type', 'status'] as const) {
      const value = params[name];
      if (value !== undefined) query.set(name, String(value));
    }
    const search = query.toString();
    return this.#request('GET', `/api/v1/notifications/jobs${search ? `?${search}` : ''}`);
  }

  retryJob(jobId: string): Promise<RetryAccepted> {
    return this.#request('POST', `/api/v1/notifications/jobs/${jobId}/retry`);
  }

  ping(): Promise<{ message: string }> {
    return this.#request('GET', '/api/v1/ping');
  }

  getApiInfo(): Promise<ApiInfo> {
    return this.#request('GET', '/api/v1/info');
  }

  verifyWebhookSignature(
    rawBody: string,
    timestampHeader: string,
    signatureHeader: string,
    secret: string,
  ): boolean {
    return verifyWebhookSignature(rawBody, timestampHeader, signatureHeader, secret);
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    for (let retry = 0; ; retry++) {
      const response = await this.#fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { 'X-API-Key': this.#apiKey, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      const parsed = await readJson(response);
      const succeeded =
        response.status >= 200 && response.status < 300 && bodyField(parsed, 'success') !== false;
      if (succeeded) return bodyField(parsed, 'data') as T;
      const retryable = response.status >= 500 || response.status === 429;
      if (!retryable || retry >= SDK_MAX_RETRIES) {
        throw new NotifyKitApiError(response.status, parsed);
      }
      await sleep(sdkRetryWaitMs(response.status, parsed, retry, this.#retryDelayMs));
    }
  }
}

export { verifyWebhookSignature };
