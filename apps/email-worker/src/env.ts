import {
  DEFAULT_RETRY_AFTER_CAP_MS,
  parseEncryptionKeys,
  RETRY_POLICY_LIMITS,
} from '@notifykit/core';
import { type WorkerSettings, workerSettingsFromEnv } from '@notifykit/queue';
import { ConfigError, commonEnvProperties, parseEnv } from '@notifykit/runtime';
import Type, { type Static } from 'typebox';
import { type EmailSender, parseSender } from './email-message.ts';

const ms = (options: { minimum?: number; maximum?: number; default?: number } = {}) =>
  Type.Integer({ minimum: 0, maximum: RETRY_POLICY_LIMITS.maxDelayMs, ...options });

/** Everything the email-worker reads from the environment; parsed once at start-up. */
export const WorkerEnvSchema = Type.Object({
  ...commonEnvProperties,
  DATABASE_URL: Type.String({ minLength: 1 }),
  /** Defaults to EMAIL_CONCURRENCY + 4. */
  DATABASE_POOL_MAX: Type.Optional(Type.Integer({ minimum: 1 })),
  REDIS_URL: Type.String({ minLength: 1 }),
  /** Prefix of every Redis key NotifyKit writes; must match the API's. */
  REDIS_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$', default: 'notifykit' }),
  /** `id:base64key[,id:base64key]`, the same list the API encrypts customer keys with. */
  ENCRYPTION_KEYS: Type.String({ minLength: 1 }),
  /** The operator's key, used for free and enterprise customers; required with EMAIL_TRANSPORT=sendgrid. */
  SENDGRID_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  SENDGRID_API_URL: Type.String({ default: 'https://api.sendgrid.com' }),
  SENDGRID_TIMEOUT_MS: ms({ minimum: 100, maximum: 300_000, default: 15_000 }),
  /** `address` or `Display Name <address>`: the sender of free customers and the paid default. */
  EMAIL_FROM_DEFAULT: Type.String({ minLength: 1 }),
  EMAIL_TRANSPORT: Type.Enum(['sendgrid', 'log'], { default: 'sendgrid' }),
  /** Allows EMAIL_TRANSPORT=log with NODE_ENV=production (it completes jobs without sending). */
  EMAIL_TRANSPORT_FORCE_LOG: Type.Boolean({ default: false }),
  EMAIL_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 500, default: 10 }),
  /** Longest wait a SendGrid 429 may impose through X-RateLimit-Reset. */
  RETRY_AFTER_CAP_MS: ms({ default: DEFAULT_RETRY_AFTER_CAP_MS }),
  // Shared with the webhook worker, same names and ranges (packages/queue worker-settings.ts).
  RETRY_BASE_DELAY_MS: Type.Optional(ms()),
  RETRY_MULTIPLIER: Type.Optional(Type.Number({ minimum: 1, maximum: 100 })),
  RETRY_MAX_DELAY_MS: Type.Optional(ms()),
  RETRY_JITTER_RATIO: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  WORKER_LOCK_DURATION_MS: Type.Optional(ms({ minimum: 1_000 })),
  WORKER_STALLED_INTERVAL_MS: Type.Optional(ms({ minimum: 100 })),
  WORKER_MAX_STALLED_COUNT: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  SWEEPER_INTERVAL_MS: Type.Optional(ms({ minimum: 100 })),
  SWEEPER_BATCH_SIZE: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  SWEEPER_PENDING_GRACE_MS: Type.Optional(ms()),
  SHUTDOWN_GRACE_MS: Type.Optional(ms()),
});

type ParsedEnv = Readonly<Static<typeof WorkerEnvSchema>>;

/** The email worker's configuration, with the default sender and worker settings derived. */
export type WorkerEnv = ParsedEnv & {
  readonly defaultSender: EmailSender;
  readonly workerSettings: WorkerSettings;
};

function settingsOrProblem(env: ParsedEnv): WorkerSettings | string {
  try {
    return workerSettingsFromEnv(env, env.EMAIL_CONCURRENCY);
  } catch (error) {
    // parseRetryPolicy names the setting (e.g. maxDelayMs), which maps to RETRY_<NAME>.
    return `RETRY_*: ${error instanceof Error ? error.message : 'invalid retry settings'}`;
  }
}

function crossFieldProblems(env: ParsedEnv): string[] {
  const problems: string[] = [];
  if (env.EMAIL_TRANSPORT === 'sendgrid' && env.SENDGRID_API_KEY === undefined) {
    problems.push(
      'SENDGRID_API_KEY: required when EMAIL_TRANSPORT=sendgrid (set EMAIL_TRANSPORT=log to run without SendGrid in development)',
    );
  }
  if (
    env.EMAIL_TRANSPORT === 'log' &&
    env.NODE_ENV === 'production' &&
    !env.EMAIL_TRANSPORT_FORCE_LOG
  ) {
    problems.push(
      'EMAIL_TRANSPORT: log does not send anything and marks every email delivered; it is refused with NODE_ENV=production unless EMAIL_TRANSPORT_FORCE_LOG=true',
    );
  }
  let url: URL | null = null;
  try {
    url = new URL(env.SENDGRID_API_URL);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username) {
    problems.push(
      'SENDGRID_API_URL: must be an absolute http(s) URL such as https://api.sendgrid.com',
    );
  }
  if (parseSender(env.EMAIL_FROM_DEFAULT) === null) {
    problems.push(
      'EMAIL_FROM_DEFAULT: must be an email address SendGrid can send from, or "Name <address>"',
    );
  }
  try {
    parseEncryptionKeys(env.ENCRYPTION_KEYS);
  } catch (error) {
    problems.push(`ENCRYPTION_KEYS: ${error instanceof Error ? error.message : 'invalid'}`);
  }
  return problems;
}

/**
 * Reads the worker's config from the given environment (process.env in main.ts). Throws a
 * ConfigError listing every problem, the cross-field rules included.
 */
export function loadWorkerEnv(source: Record<string, string | undefined>): WorkerEnv {
  const env = parseEnv(WorkerEnvSchema, source);
  const problems = crossFieldProblems(env);
  const defaultSender = parseSender(env.EMAIL_FROM_DEFAULT);
  const workerSettings = settingsOrProblem(env);
  if (typeof workerSettings === 'string') problems.push(workerSettings);
  if (problems.length > 0 || defaultSender === null || typeof workerSettings === 'string') {
    throw new ConfigError(problems);
  }
  return Object.freeze({ ...env, defaultSender, workerSettings });
}
