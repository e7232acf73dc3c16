import {
  type AllowedDestinations,
  createSecretBox,
  parseAllowedDestinations,
  parseEncryptionKeys,
  type SecretBox,
} from '@notifykit/core';
import {
  type ApiKeysRepository,
  type CustomersRepository,
  createApiKeysRepository,
  createCustomersRepository,
  createDatabase,
  createJobsRepository,
  createUsageRepository,
  createWebhookSecretsRepository,
  type DatabaseConnection,
  type JobsRepository,
  type UsageRepository,
  type WebhookSecretsRepository,
} from '@notifykit/db';
import { createJobProducer, createProducerRedis, type JobProducer } from '@notifykit/queue';
import type { Logger } from '@notifykit/runtime';
import type { Redis } from 'ioredis';
import {
  type AuthenticatedKeyCache,
  createAuthenticatedKeyCache,
} from './auth/authenticated-key-cache.ts';
import type { ApiEnv } from './env.ts';
import { createMonthlyQuota, type MonthlyQuota } from './limits/monthly-quota.ts';
import { createRateLimiter, type RateLimiter } from './limits/rate-limiter.ts';

/** Everything the API's routes and plugins use; built once per process (or per test file). */
export interface AppDeps {
  env: ApiEnv;
  logger: Logger;
  database: DatabaseConnection;
  redis: Redis;
  /** Prefix for our own Redis keys (`<REDIS_PREFIX>:`); BullMQ adds its own separator. */
  redisKeyPrefix: string;
  producer: JobProducer;
  secretBox: SecretBox;
  /** The operator's allow-list of internal webhook targets (WEBHOOK_ALLOWED_HOSTS). */
  webhookDestinations: AllowedDestinations;
  authCache: AuthenticatedKeyCache;
  rateLimiter: RateLimiter;
  /** Monthly send quota, mirrored in Redis from the usage table. */
  monthlyQuota: MonthlyQuota;
  repositories: {
    customers: CustomersRepository;
    apiKeys: ApiKeysRepository;
    jobs: JobsRepository;
    usage: UsageRepository;
    webhookSecrets: WebhookSecretsRepository;
  };
  /** Closes connections in order: queue producer, Redis, Postgres. */
  close(): Promise<void>;
}

/** Connects to Postgres and Redis and wires every dependency from the parsed environment. */
export function createDependencies(env: ApiEnv, logger: Logger): AppDeps {
  const database = createDatabase(env.DATABASE_URL, {
    max: env.DATABASE_POOL_MAX,
    // Fail fast (503) rather than queue requests behind a database that does not answer.
    connectionTimeoutMillis: 2_000,
  });
  database.pool.on('error', (error) => logger.warn({ err: error }, 'idle postgres client failed'));
  const redis = createProducerRedis(env.REDIS_URL);
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const redisKeyPrefix = `${env.REDIS_PREFIX}:`;
  const producer = createJobProducer({ connection: redis, prefix: env.REDIS_PREFIX });
  const { db } = database;
  const usage = createUsageRepository(db);

  return {
    env,
    logger,
    database,
    redis,
    redisKeyPrefix,
    producer,
    secretBox: createSecretBox(parseEncryptionKeys(env.ENCRYPTION_KEYS)),
    webhookDestinations: parseAllowedDestinations(env.WEBHOOK_ALLOWED_HOSTS),
    authCache: createAuthenticatedKeyCache({ ttlMs: env.AUTH_CACHE_TTL_MS }),
    rateLimiter: createRateLimiter(redis, redisKeyPrefix),
    monthlyQuota: createMonthlyQuota(redis, redisKeyPrefix, usage),
    repositories: {
      customers: createCustomersRepository(db),
      apiKeys: createApiKeysRepository(db),
      jobs: createJobsRepository(db),
      usage,
      webhookSecrets: createWebhookSecretsRepository(db),
    },
    async close() {
      await producer.close();
      await redis.quit().catch(() => redis.disconnect());
      await database.close();
    },
  };
}
