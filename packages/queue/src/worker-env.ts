import { DEFAULT_RETRY_AFTER_CAP_MS, RETRY_POLICY_LIMITS } from '@notifykit/core';
import Type from 'typebox';

/** A duration variable in ms: an integer from 0 up to the longest retry delay (7 days) by default. */
export function envMilliseconds(
  options: { minimum?: number; maximum?: number; default?: number } = {},
) {
  return Type.Integer({ minimum: 0, maximum: RETRY_POLICY_LIMITS.maxDelayMs, ...options });
}

/**
 * Variables every worker app reads, with the same names and ranges in each: connections,
 * retries, BullMQ locks, the sweeper and shutdown. Each app spreads them into its env schema
 * next to its own variables; {@link workerSettingsFromEnv} maps the tuning ones to settings.
 */
export const workerEnvProperties = {
  DATABASE_URL: Type.String({ minLength: 1 }),
  /** Defaults to the worker's concurrency + 4. */
  DATABASE_POOL_MAX: Type.Optional(Type.Integer({ minimum: 1 })),
  REDIS_URL: Type.String({ minLength: 1 }),
  /** Prefix of every Redis key NotifyKit writes (BullMQ queues live under it); must match the API's. */
  REDIS_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$', default: 'notifykit' }),
  /** `id:base64key[,id:base64key]`, the same list the API encrypts customer secrets with. */
  ENCRYPTION_KEYS: Type.String({ minLength: 1 }),
  /** Longest wait a provider may impose through Retry-After or X-RateLimit-Reset. */
  RETRY_AFTER_CAP_MS: envMilliseconds({ default: DEFAULT_RETRY_AFTER_CAP_MS }),
  RETRY_BASE_DELAY_MS: Type.Optional(envMilliseconds()),
  RETRY_MULTIPLIER: Type.Optional(Type.Number({ minimum: 1, maximum: 100 })),
  RETRY_MAX_DELAY_MS: Type.Optional(envMilliseconds()),
  RETRY_JITTER_RATIO: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  WORKER_LOCK_DURATION_MS: Type.Optional(envMilliseconds({ minimum: 1_000 })),
  WORKER_STALLED_INTERVAL_MS: Type.Optional(envMilliseconds({ minimum: 100 })),
  WORKER_MAX_STALLED_COUNT: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  SWEEPER_INTERVAL_MS: Type.Optional(envMilliseconds({ minimum: 100 })),
  SWEEPER_BATCH_SIZE: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  SWEEPER_PENDING_GRACE_MS: Type.Optional(envMilliseconds()),
  SHUTDOWN_GRACE_MS: Type.Optional(envMilliseconds()),
};
