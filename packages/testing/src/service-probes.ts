import { Redis } from 'ioredis';
import pg from 'pg';
import { describeUrl } from './url-description.ts';

const DEFAULT_TIMEOUT_MS = 3_000;

function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(reason).join('; ');
  }
  return error instanceof Error ? error.message || error.name : String(error);
}

/** Throws a message naming Postgres and the URL when `SELECT 1` does not succeed in time. */
export async function probePostgres(url: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  client.on('error', () => {});
  try {
    await withTimeout(
      client.connect().then(() => client.query('SELECT 1')),
      timeoutMs + 500,
      'connect',
    );
  } catch (error) {
    throw new Error(`Postgres at ${describeUrl(url)} does not answer: ${reason(error)}`);
  } finally {
    void client.end().catch(() => {});
  }
}

/** Throws a message naming Redis and the URL when PING does not succeed in time. */
export async function probeRedis(url: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis rejects connect() with a generic "Connection is closed"; keep the socket error.
  let lastError: unknown;
  client.on('error', (error) => {
    lastError = error;
  });
  try {
    await withTimeout(
      client.connect().then(() => client.ping()),
      timeoutMs + 500,
      'connect',
    );
  } catch (error) {
    throw new Error(`Redis at ${describeUrl(url)} does not answer: ${reason(lastError ?? error)}`);
  } finally {
    client.disconnect();
  }
}

/** Probes both services in parallel and throws one error listing every service that is down. */
export async function assertServicesAnswer(
  databaseUrl: string,
  redisUrl: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<void> {
  const results = await Promise.allSettled([
    probePostgres(databaseUrl, timeoutMs),
    probeRedis(redisUrl, timeoutMs),
  ]);
  const failures = results.flatMap((result) =>
    result.status === 'rejected' ? [reason(result.reason)] : [],
  );
  if (failures.length > 0) {
    throw new Error(
      `Integration test services are down. ${failures.join('. ')}. ` +
        'Start the service, fix DATABASE_URL/REDIS_URL, or unset them and start a Docker ' +
        'engine so testcontainers can provide them.',
    );
  }
}
