import { parseEncryptionKeys } from '@notifykit/core';
import {
  envMilliseconds,
  type WorkerSettings,
  workerEnvProperties,
  workerSettingsFromEnv,
} from '@notifykit/queue';
import { ConfigError, commonEnvProperties, parseEnv } from '@notifykit/runtime';
import Type, { type Static } from 'typebox';
import { type EmailSender, parseSender } from './email-message.ts';

/** Everything the email-worker reads from the environment; parsed once at start-up. */
export const WorkerEnvSchema = Type.Object({
  ...commonEnvProperties,
  ...workerEnvProperties,
  /** The operator's key, used for free and enterprise customers; required with EMAIL_TRANSPORT=sendgrid. */
  SENDGRID_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  SENDGRID_API_URL: Type.String({ default: 'https://api.sendgrid.com' }),
  SENDGRID_TIMEOUT_MS: envMilliseconds({ minimum: 100, maximum: 300_000, default: 15_000 }),
  /** `address` or `Display Name <address>`: the sender of free customers and the paid default. */
  EMAIL_FROM_DEFAULT: Type.String({ minLength: 1 }),
  EMAIL_TRANSPORT: Type.Enum(['sendgrid', 'log'], { default: 'sendgrid' }),
  /** Allows EMAIL_TRANSPORT=log with NODE_ENV=production (it completes jobs without sending). */
  EMAIL_TRANSPORT_FORCE_LOG: Type.Boolean({ default: false }),
  EMAIL_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 500, default: 10 }),
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
