import {
  type AllowedDestinations,
  parseAllowedDestinations,
  parseEncryptionKeys,
} from '@notifykit/core';
import {
  envMilliseconds,
  type WorkerSettings,
  workerEnvProperties,
  workerSettingsFromEnv,
} from '@notifykit/queue';
import { ConfigError, commonEnvProperties, parseEnv } from '@notifykit/runtime';
import Type, { type Static } from 'typebox';

/** Everything the webhook-worker reads from the environment; parsed once at start-up. */
export const WorkerEnvSchema = Type.Object({
  ...commonEnvProperties,
  ...workerEnvProperties,
  WEBHOOK_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
  WEBHOOK_TIMEOUT_MS: envMilliseconds({ minimum: 100, maximum: 300_000, default: 30_000 }),
  WEBHOOK_CONNECT_TIMEOUT_MS: envMilliseconds({ minimum: 100, maximum: 300_000, default: 10_000 }),
  WEBHOOK_ALLOW_HTTP: Type.Boolean({ default: false }),
  WEBHOOK_ALLOW_PRIVATE: Type.Boolean({ default: false }),
  /** Host names, IPs and CIDR ranges allowed even though private (comma-separated). */
  WEBHOOK_ALLOWED_HOSTS: Type.String({ default: '' }),
});

/** The environment as parsed. */
export type WorkerEnv = Static<typeof WorkerEnvSchema>;

/** The worker's parsed configuration plus the values derived from it. */
export interface WorkerConfig {
  env: Readonly<WorkerEnv>;
  settings: WorkerSettings;
  allowedDestinations: AllowedDestinations;
  encryptionKeys: Map<string, Buffer>;
}

const RETRY_ENV_NAMES: Readonly<Record<string, string>> = {
  baseDelayMs: 'RETRY_BASE_DELAY_MS',
  multiplier: 'RETRY_MULTIPLIER',
  maxDelayMs: 'RETRY_MAX_DELAY_MS',
  jitterRatio: 'RETRY_JITTER_RATIO',
};

/** Core names the retry policy's fields; the operator typed environment variables. */
function retryProblem(message: string): string {
  return message
    .replace(/^Invalid retry policy: /, '')
    .replace(
      /\b(baseDelayMs|multiplier|maxDelayMs|jitterRatio)\b/g,
      (name) => RETRY_ENV_NAMES[name] ?? name,
    );
}

function attempt<T>(problems: string[], name: string | null, build: () => T): T | undefined {
  try {
    return build();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    problems.push(name === null ? message : `${name}: ${message}`);
    return undefined;
  }
}

/**
 * Reads the worker's config from the given environment (process.env in main.ts). Values that
 * are valid one by one but not together (encryption keys, allow-list, retry policy) are checked
 * here too, so every mistake surfaces as one ConfigError at start-up.
 */
export function loadWorkerEnv(source: Record<string, string | undefined>): WorkerConfig {
  const env = parseEnv(WorkerEnvSchema, source);
  const problems: string[] = [];
  const encryptionKeys = attempt(problems, 'ENCRYPTION_KEYS', () =>
    parseEncryptionKeys(env.ENCRYPTION_KEYS),
  );
  const allowedDestinations = attempt(problems, 'WEBHOOK_ALLOWED_HOSTS', () =>
    parseAllowedDestinations(env.WEBHOOK_ALLOWED_HOSTS),
  );
  const settings = attempt(problems, null, () => {
    try {
      return workerSettingsFromEnv(env, env.WEBHOOK_CONCURRENCY);
    } catch (error) {
      throw error instanceof RangeError ? new RangeError(retryProblem(error.message)) : error;
    }
  });
  if (!encryptionKeys || !allowedDestinations || !settings) throw new ConfigError(problems);
  return Object.freeze({ env, settings, allowedDestinations, encryptionKeys });
}
