import {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_WEBHOOK_PAYLOAD_MAX_BYTES,
  parseAllowedDestinations,
} from '@notifykit/core';
import { ConfigError, commonEnvProperties, parseEnv } from '@notifykit/runtime';
import Type from 'typebox';

/** Everything the API reads from the environment; parsed once at start-up. */
export const ApiEnvSchema = Type.Object({
  ...commonEnvProperties,
  HOST: Type.String({ default: '0.0.0.0' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, default: 10_000 }),
  DATABASE_URL: Type.String({ minLength: 1 }),
  DATABASE_POOL_MAX: Type.Integer({ minimum: 1, default: 10 }),
  REDIS_URL: Type.String({ minLength: 1 }),
  /** Prefix of every Redis key NotifyKit writes (BullMQ queues, rate limits, quota counters). */
  REDIS_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$', default: 'notifykit' }),
  /** `id:base64key[,id:base64key]`; the first encrypts, all decrypt (see docs/operations). */
  ENCRYPTION_KEYS: Type.String({ minLength: 1 }),
  /** Operator secret for /admin/v1; the admin API is off when unset. */
  ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 32 })),
  WEBHOOK_ALLOW_HTTP: Type.Boolean({ default: false }),
  WEBHOOK_ALLOW_PRIVATE: Type.Boolean({ default: false }),
  /** Internal hosts, IPs and CIDR ranges accepted as webhook targets although private. */
  WEBHOOK_ALLOWED_HOSTS: Type.String({ default: '' }),
  WEBHOOK_PAYLOAD_MAX_BYTES: Type.Integer({
    minimum: 1024,
    maximum: 1024 * 1024,
    default: DEFAULT_WEBHOOK_PAYLOAD_MAX_BYTES,
  }),
  RETRY_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 20, default: DEFAULT_MAX_ATTEMPTS }),
  /** How long a key lookup is cached per API process (≤ 10 s, the contract's revoke bound). */
  AUTH_CACHE_TTL_MS: Type.Integer({ minimum: 0, maximum: 10_000, default: 5_000 }),
  DOCS_URL: Type.String({
    default: 'https://github.com/notifykit/notifykit/blob/main/docs/api.md',
  }),
  /** Public base URL of this API, listed as the OpenAPI server; unset = relative (`/`). */
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$' })),
});

export type ApiEnv = ReturnType<typeof loadApiEnv>;

/** Reads the API's config from the given environment (process.env in server.ts). */
export function loadApiEnv(source: Record<string, string | undefined>) {
  const env = parseEnv(ApiEnvSchema, source);
  try {
    parseAllowedDestinations(env.WEBHOOK_ALLOWED_HOSTS);
  } catch (error) {
    throw new ConfigError([`WEBHOOK_ALLOWED_HOSTS: ${(error as Error).message}`]);
  }
  return env;
}
