import type { DatabaseConnection } from '@notifykit/db';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';

/** Result of one dependency probe. */
export type CheckResult = 'ok' | 'down';

/** What GET /ready reports per dependency. */
export interface ReadinessReport {
  ready: boolean;
  checks: { postgres: CheckResult; redis: CheckResult };
}

/**
 * How long one probe may take. Both run in parallel, so /ready answers well inside the
 * ~3 s an orchestrator's probe usually allows, even when a dependency accepts connections
 * and then never answers.
 */
export const READINESS_CHECK_TIMEOUT_MS = 1_500;

class CheckTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'CheckTimeoutError';
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(ms)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function probe(
  name: string,
  work: () => Promise<unknown>,
  timeoutMs: number,
  logger: FastifyBaseLogger,
): Promise<CheckResult> {
  try {
    await withTimeout(work(), timeoutMs);
    return 'ok';
  } catch (error) {
    // The reason goes to the log only: a readiness body is visible to anyone who can reach it.
    logger.warn({ err: error, dependency: name }, 'readiness check failed');
    return 'down';
  }
}

/** Runs `SELECT 1` on the pool and `PING` on Redis concurrently, each bounded by a timeout. */
export async function checkReadiness(
  targets: { pool: DatabaseConnection['pool']; redis: Redis; logger: FastifyBaseLogger },
  timeoutMs: number = READINESS_CHECK_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const { pool, redis, logger } = targets;
  const [postgres, redisResult] = await Promise.all([
    probe('postgres', () => pool.query('SELECT 1'), timeoutMs, logger),
    probe('redis', () => redis.ping(), timeoutMs, logger),
  ]);
  return {
    ready: postgres === 'ok' && redisResult === 'ok',
    checks: { postgres, redis: redisResult },
  };
}
