import { createSecretBox, parseEncryptionKeys } from '@notifykit/core';
import { createCustomersRepository } from '@notifykit/db';
import { startWorkerRuntime, type WorkerRuntime } from '@notifykit/queue';
import type { Logger } from '@notifykit/runtime';
import { createEmailDeliver } from './email-delivery.ts';
import type { EmailTransport } from './email-transport.ts';
import type { WorkerEnv } from './env.ts';
import { createLogTransport } from './log-transport.ts';
import { createSendGridKeyResolver } from './sendgrid-key-resolver.ts';
import { createSendGridTransport } from './sendgrid-transport.ts';

/** The transport EMAIL_TRANSPORT names, configured from the environment. */
export function createTransport(env: WorkerEnv): EmailTransport {
  return env.EMAIL_TRANSPORT === 'log'
    ? createLogTransport()
    : createSendGridTransport({
        baseUrl: env.SENDGRID_API_URL,
        timeoutMs: env.SENDGRID_TIMEOUT_MS,
        retryAfterCapMs: env.RETRY_AFTER_CAP_MS,
      });
}

/**
 * Starts the email worker's queue side: the shared worker runtime (claim → deliver → record,
 * sweeper, shutdown order) with the email DeliverFn. main.ts and the tests both start it here.
 */
export function startEmailWorker(env: WorkerEnv, logger: Logger): WorkerRuntime {
  const transport = createTransport(env);
  if (transport.name === 'log') {
    logger.warn(
      { forced: env.EMAIL_TRANSPORT_FORCE_LOG },
      'EMAIL_TRANSPORT=log: emails are NOT sent; each job is logged (redacted) and marked completed',
    );
  }
  const secretBox = createSecretBox(parseEncryptionKeys(env.ENCRYPTION_KEYS));
  return startWorkerRuntime({
    type: 'email',
    databaseUrl: env.DATABASE_URL,
    databasePoolMax: env.DATABASE_POOL_MAX,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    settings: env.workerSettings,
    logger,
    createDeliver: ({ db }) => {
      const customers = createCustomersRepository(db);
      return createEmailDeliver({
        customers,
        keyResolver: createSendGridKeyResolver({
          customers,
          secretBox,
          operatorKey: env.SENDGRID_API_KEY ?? null,
          logger,
        }),
        transport,
        defaultSender: env.defaultSender,
      });
    },
  });
}
