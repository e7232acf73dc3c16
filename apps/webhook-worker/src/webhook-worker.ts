import { createSecretBox } from '@notifykit/core';
import { createWebhookSecretsRepository } from '@notifykit/db';
import { startWorkerRuntime, type WorkerRuntime } from '@notifykit/queue';
import type { Logger } from '@notifykit/runtime';
import packageJson from '../package.json' with { type: 'json' };
import type { HostResolver } from './destination-guard.ts';
import type { WorkerConfig } from './env.ts';
import { createHttpAgents } from './http-attempt.ts';
import { createSigningSecretsSource } from './signing-secrets.ts';
import { createWebhookDeliver } from './webhook-delivery.ts';

/** What receivers see as `User-Agent`. */
export const USER_AGENT = `NotifyKit/${packageJson.version}`;

/**
 * Starts the webhook worker's queue consumer and sweeper with the given configuration: the
 * same wiring main.ts runs, reusable in-process by tests (which may substitute DNS).
 */
export function startWebhookWorker(
  config: WorkerConfig,
  logger: Logger,
  overrides: { resolve?: HostResolver } = {},
): WorkerRuntime {
  const { env, settings } = config;
  const agents = createHttpAgents();
  const secretBox = createSecretBox(config.encryptionKeys);
  return startWorkerRuntime({
    type: 'webhook',
    databaseUrl: env.DATABASE_URL,
    databasePoolMax: env.DATABASE_POOL_MAX,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    settings,
    logger,
    createDeliver: ({ db }) =>
      createWebhookDeliver({
        policy: {
          allowHttp: env.WEBHOOK_ALLOW_HTTP,
          allowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
          allowed: config.allowedDestinations,
        },
        timeouts: { connectMs: env.WEBHOOK_CONNECT_TIMEOUT_MS, totalMs: env.WEBHOOK_TIMEOUT_MS },
        retryAfterCapMs: env.RETRY_AFTER_CAP_MS,
        userAgent: USER_AGENT,
        signingSecrets: createSigningSecretsSource(createWebhookSecretsRepository(db), secretBox),
        agents,
        resolve: overrides.resolve,
      }),
    onDeliveriesStopped: () => agents.destroy(),
  });
}
