/**
 * Errors that mean "Postgres or Redis did not answer" rather than "our code is wrong". The API
 * answers these with 503 so clients (and the SDK, which retries 5xx) try again later.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  // Postgres: admin shutdown, crash shutdown, cannot connect now, too many connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Connection is closed',
  'Reached the max retries per request limit',
];

/** Raised by our own infrastructure wrappers when a dependency is down or too slow. */
export class DependencyUnavailableError extends Error {
  readonly dependency: 'postgres' | 'redis';

  constructor(dependency: 'postgres' | 'redis', cause?: unknown) {
    super(`${dependency} unavailable`, { cause });
    this.name = 'DependencyUnavailableError';
    this.dependency = dependency;
  }
}

/** True when the error (or its cause chain) says a dependency is unreachable. */
export function isDependencyUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  if (error instanceof DependencyUnavailableError) return true;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m))) {
    return true;
  }
  if (
    error instanceof AggregateError &&
    error.errors.some((e) => isDependencyUnavailable(e, depth + 1))
  ) {
    return true;
  }
  return isDependencyUnavailable(cause, depth + 1);
}
