import type { ErrorDetail } from './envelope.ts';

/**
 * An error whose message is safe to show a client. Domain code throws these (or subclasses);
 * the root error handler turns them into the contract's envelope. Anything else becomes a 500
 * with a generic message, so internal text never leaks.
 */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly details: ErrorDetail[] | undefined;
  readonly headers: Record<string, string>;
  readonly retryAfter: number | undefined;

  constructor(
    statusCode: number,
    message: string,
    options: {
      details?: ErrorDetail[];
      headers?: Record<string, string>;
      retryAfter?: number;
    } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.details = options.details;
    this.headers = options.headers ?? {};
    this.retryAfter = options.retryAfter;
  }
}

/** 404 with the given sentence (each resource words its own, e.g. `Job not found`). */
export function notFound(message: string): ApiError {
  return new ApiError(404, message);
}

/** 400 for a request that is well-formed but not acceptable. */
export function badRequest(message: string, details?: ErrorDetail[]): ApiError {
  return new ApiError(400, message, details ? { details } : {});
}

/** The 503 the API answers when Postgres or Redis does not answer (CONTRACT §7). */
export const SERVICE_UNAVAILABLE_MESSAGE = 'Service temporarily unavailable';
