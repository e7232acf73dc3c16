import { parseRetryAfter } from './retry-after.ts';

// Inputs are plain data so each worker maps its client's result (got, @sendgrid/mail) once and
// every decision about what is worth retrying lives here, tested without any network.

/** What one delivery attempt means for the job. */
export type DeliveryOutcome =
  | { kind: 'success' }
  | { kind: 'retryable'; reason: string; retryAfterMs?: number }
  | { kind: 'permanent'; reason: string };

/** Response headers as HTTP clients expose them; names are matched case-insensitively. */
export type HeaderMap = Readonly<Record<string, string | readonly string[] | undefined>>;

/** An attempt that produced no HTTP response; 'blocked' is a destination refused by SSRF rules. */
export interface TransportFailure {
  kind: 'timeout' | 'network' | 'blocked';
  message: string;
}

/** What a webhook attempt produced. */
export type WebhookAttemptResult =
  | { kind: 'response'; statusCode: number; headers?: HeaderMap }
  | TransportFailure;

/** What a SendGrid send produced; `body` is SendGrid's parsed JSON (`{errors: [...]}`) if any. */
export type SendGridAttemptResult =
  | { kind: 'response'; statusCode: number; body?: unknown; headers?: HeaderMap }
  | { kind: 'timeout' | 'network'; message: string };

/** Clock and cap used when a response asks us to wait. */
export interface ClassificationOptions {
  /** Defaults to the current time. */
  now?: Date;
  /** Longest wait a server may ask for; defaults to {@link DEFAULT_RETRY_AFTER_CAP_MS}. */
  retryAfterCapMs?: number;
}

/** Default ceiling on a server-requested wait: one hour, the default maximum backoff. */
export const DEFAULT_RETRY_AFTER_CAP_MS = 3_600_000;

const MAX_REASON_LENGTH = 1000;
const MAX_SENDGRID_ERRORS = 5;

/** First value of header `name` in `headers`, ignoring case; undefined if absent. */
export function headerValue(headers: HeaderMap | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return typeof value === 'string' ? value : value[0];
  }
  return undefined;
}

function withMessage(prefix: string, message: string): string {
  const detail = message.trim();
  return detail === '' ? prefix : `${prefix}: ${detail}`;
}

function clip(reason: string): string {
  return reason.length <= MAX_REASON_LENGTH ? reason : `${reason.slice(0, MAX_REASON_LENGTH - 1)}…`;
}

function retryable(reason: string, retryAfterMs: number | null | undefined): DeliveryOutcome {
  return retryAfterMs === null || retryAfterMs === undefined
    ? { kind: 'retryable', reason: clip(reason) }
    : { kind: 'retryable', reason: clip(reason), retryAfterMs };
}

function permanent(reason: string): DeliveryOutcome {
  return { kind: 'permanent', reason: clip(reason) };
}

function isHttpStatus(code: number): boolean {
  return Number.isInteger(code) && code >= 100 && code <= 599;
}

/**
 * Webhook attempt → outcome (CONTRACT §6): 2xx success; 3xx permanent (redirects are not
 * followed); 408, 429 and 5xx retryable, 429/503 honouring Retry-After; other 4xx permanent;
 * timeouts and network errors retryable; a refused destination permanent. A status outside
 * 100–599 is treated like a broken connection: retryable.
 */
export function classifyWebhookAttempt(
  result: WebhookAttemptResult,
  options: ClassificationOptions = {},
): DeliveryOutcome {
  switch (result.kind) {
    case 'timeout':
      return retryable(withMessage('Webhook request timed out', result.message), null);
    case 'network':
      return retryable(withMessage('Webhook request failed', result.message), null);
    case 'blocked':
      return permanent(withMessage('Webhook destination was refused', result.message));
    case 'response':
      break;
  }
  const status = result.statusCode;
  const said = `Webhook endpoint responded with HTTP ${status}`;
  if (!isHttpStatus(status)) {
    return retryable(`Webhook endpoint responded with an invalid HTTP status (${status})`, null);
  }
  if (status >= 200 && status < 300) return { kind: 'success' };
  if (status >= 300 && status < 400) return permanent(`${said}; redirects are not followed`);
  if (status === 429 || status === 503) {
    const wait = parseRetryAfter(
      headerValue(result.headers, 'retry-after'),
      options.now ?? new Date(Date.now()),
      options.retryAfterCapMs ?? DEFAULT_RETRY_AFTER_CAP_MS,
    );
    return retryable(said, wait);
  }
  if (status === 408 || status >= 500) return retryable(said, null);
  if (status >= 400) return permanent(said);
  // 1xx as a final status is a protocol violation, more like a broken connection than an answer.
  return retryable(said, null);
}

function sendGridErrorText(body: unknown): string {
  let parsed = body;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      return '';
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return '';
  const errors = (parsed as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return '';
  const texts: string[] = [];
  for (const entry of errors) {
    if (texts.length === MAX_SENDGRID_ERRORS) break;
    if (typeof entry !== 'object' || entry === null) continue;
    const { message, field } = entry as { message?: unknown; field?: unknown };
    if (typeof message !== 'string' || message.trim() === '') continue;
    const where = typeof field === 'string' && field.trim() !== '' ? ` (${field.trim()})` : '';
    texts.push(`${message.trim()}${where}`);
  }
  return texts.join('; ');
}

function rateLimitResetMs(value: string | undefined, now: Date, capMs: number): number | null {
  if (value === undefined || !/^\d+$/.test(value.trim())) return null;
  const waitMs = Number(value.trim()) * 1000 - now.getTime();
  return Math.min(Math.max(waitMs, 0), capMs);
}

/**
 * SendGrid send → outcome: 2xx success; 429 retryable honouring X-RateLimit-Reset (epoch
 * seconds); 408, 5xx, timeouts and network errors retryable; every other 4xx permanent with
 * SendGrid's own error text; anything else (1xx, 3xx, invalid) retryable.
 */
export function classifySendGridAttempt(
  result: SendGridAttemptResult,
  options: ClassificationOptions = {},
): DeliveryOutcome {
  if (result.kind !== 'response') {
    const prefix =
      result.kind === 'timeout' ? 'SendGrid request timed out' : 'Could not reach SendGrid';
    return retryable(withMessage(prefix, result.message), null);
  }
  const status = result.statusCode;
  const details = sendGridErrorText(result.body);
  if (!isHttpStatus(status)) {
    return retryable(`SendGrid responded with an invalid HTTP status (${status})`, null);
  }
  if (status >= 200 && status < 300) return { kind: 'success' };
  if (status === 429) {
    const now = options.now ?? new Date(Date.now());
    const cap = options.retryAfterCapMs ?? DEFAULT_RETRY_AFTER_CAP_MS;
    const wait = rateLimitResetMs(headerValue(result.headers, 'x-ratelimit-reset'), now, cap);
    return retryable(withMessage('SendGrid rate limit exceeded (HTTP 429)', details), wait);
  }
  if (status === 408 || status >= 500) {
    return retryable(withMessage(`SendGrid responded with HTTP ${status}`, details), null);
  }
  if (status >= 400) {
    return permanent(withMessage(`SendGrid rejected the email with HTTP ${status}`, details));
  }
  return retryable(withMessage(`SendGrid responded with unexpected HTTP ${status}`, details), null);
}
