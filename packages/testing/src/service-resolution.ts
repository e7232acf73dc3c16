/** How one service will be obtained for the test run. */
export type ServiceChoice = { kind: 'env'; url: string } | { kind: 'container' };

/** Outcome of deciding where Postgres and Redis come from; pure so it can be unit tested. */
export type ServicePlan =
  | { ok: true; postgres: ServiceChoice; redis: ServiceChoice }
  | { ok: false; message: string };

/** The environment variables the harness reads. */
export interface ServiceEnv {
  DATABASE_URL?: string | undefined;
  REDIS_URL?: string | undefined;
}

const HOW_TO_FIX =
  'set DATABASE_URL and REDIS_URL to a running Postgres and Redis, ' +
  'or start a Docker engine so testcontainers can start them';

/**
 * Decides, per service, between the URL from the environment and a testcontainer.
 * A missing URL without Docker is an error rather than a skip: silently skipped integration
 * tests look green while testing nothing.
 */
export function resolveServicePlan(env: ServiceEnv, dockerAvailable: boolean): ServicePlan {
  const databaseUrl = env.DATABASE_URL?.trim() ?? '';
  const redisUrl = env.REDIS_URL?.trim() ?? '';
  const missing: string[] = [];
  if (databaseUrl === '' && !dockerAvailable) missing.push('Postgres (DATABASE_URL)');
  if (redisUrl === '' && !dockerAvailable) missing.push('Redis (REDIS_URL)');
  if (missing.length > 0) {
    return {
      ok: false,
      message:
        `Integration tests need ${missing.join(' and ')}, ` +
        `${missing.length > 1 ? 'which are' : 'which is'} not set, ` +
        `and no Docker engine answers: ${HOW_TO_FIX}.`,
    };
  }
  return {
    ok: true,
    postgres: databaseUrl === '' ? { kind: 'container' } : { kind: 'env', url: databaseUrl },
    redis: redisUrl === '' ? { kind: 'container' } : { kind: 'env', url: redisUrl },
  };
}
