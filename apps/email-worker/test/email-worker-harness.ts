import type { EmailPayload, JobStatus } from '@notifykit/core';
import type { CustomerRecord, JobWithAttempts } from '@notifykit/db';
import {
  createJobProducer,
  createProducerRedis,
  type JobProducer,
  type WorkerRuntime,
} from '@notifykit/queue';
import { type TestRedisHandle, useTestRedis } from '@notifykit/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startEmailWorker } from '../src/email-worker-app.ts';
import { loadWorkerEnv } from '../src/env.ts';
import {
  type CapturedLogger,
  captureLogger,
  DEFAULT_FROM,
  type EmailTestBed,
  OPERATOR_KEY,
} from './email-test-bed.ts';

/** Fast retries without jitter, so timing assertions are exact lower bounds. */
export const TEST_RETRY_BASE_DELAY_MS = 300;
/** The SendGrid request deadline the test worker runs with. */
export const TEST_SENDGRID_TIMEOUT_MS = 500;

/** A real email worker runtime (BullMQ, Postgres, local SendGrid) for one test file. */
export interface EmailWorkerHarness {
  readonly redis: TestRedisHandle;
  readonly log: CapturedLogger;
  /** Accepts an email job the way the API does: row first, then the queue entry. */
  send(customer: CustomerRecord, payload?: Partial<EmailPayload>): Promise<string>;
  /** Enqueues an already stored job. */
  enqueue(customer: CustomerRecord, jobId: string): Promise<void>;
  /** Polls Postgres until the job reaches one of `statuses`; rejects with its last state after `timeoutMs`. */
  waitForJob(
    customer: CustomerRecord,
    jobId: string,
    statuses?: JobStatus[],
    timeoutMs?: number,
  ): Promise<JobWithAttempts>;
}

/** Registers hooks that run the email worker against `bed` with its own Redis prefix. */
export function useEmailWorker(
  bed: EmailTestBed,
  env: Record<string, string> = {},
): EmailWorkerHarness {
  const redis = useTestRedis();
  const log = captureLogger('debug');
  let runtime: WorkerRuntime | undefined;
  let producerRedis: Redis | undefined;
  let producer: JobProducer | undefined;

  beforeAll(() => {
    const parsed = loadWorkerEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      DATABASE_URL: bed.databaseUrl,
      REDIS_URL: redis.url,
      REDIS_PREFIX: redis.bullmqPrefix,
      ENCRYPTION_KEYS: bed.encryptionKeys,
      SENDGRID_API_KEY: OPERATOR_KEY,
      SENDGRID_API_URL: bed.sendgrid.url,
      SENDGRID_TIMEOUT_MS: String(TEST_SENDGRID_TIMEOUT_MS),
      EMAIL_FROM_DEFAULT: DEFAULT_FROM,
      EMAIL_CONCURRENCY: '4',
      RETRY_BASE_DELAY_MS: String(TEST_RETRY_BASE_DELAY_MS),
      RETRY_MULTIPLIER: '2',
      RETRY_JITTER_RATIO: '0',
      SHUTDOWN_GRACE_MS: '2000',
      ...env,
    });
    runtime = startEmailWorker(parsed, log.logger);
    producerRedis = createProducerRedis(redis.url);
    producer = createJobProducer({ connection: producerRedis, prefix: redis.bullmqPrefix });
  });
  afterAll(async () => {
    await runtime?.close();
    await producer?.close();
    await producerRedis?.quit();
  });

  const enqueue = async (customer: CustomerRecord, jobId: string) => {
    if (!producer) throw new Error('the worker harness is only available inside tests');
    await producer.enqueue({ jobId, customerId: customer.id, type: 'email', priority: 5 });
  };

  return {
    redis,
    log,
    enqueue,
    async send(customer, payload) {
      const jobId = await bed.createEmailJob(customer, payload);
      await enqueue(customer, jobId);
      return jobId;
    },
    async waitForJob(customer, jobId, statuses = ['completed', 'failed'], timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = await bed.jobs.findForCustomer(customer.id, jobId);
        if (found && statuses.includes(found.job.status)) return found;
        if (Date.now() > deadline) {
          throw new Error(
            `job ${jobId} did not reach ${statuses.join('/')}: ${JSON.stringify(found?.job)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
