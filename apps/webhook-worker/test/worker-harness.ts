// In-process harness for the webhook worker's integration tests: a real database, Redis
// namespace and local receiver per test file, and the worker wired exactly as main.ts wires it.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import {
  createSecretBox,
  generateSigningSecret,
  parseEncryptionKeys,
  type WebhookMethod,
} from '@notifykit/core';
import {
  createCustomersRepository,
  createDatabase,
  createJobsRepository,
  createWebhookSecretsRepository,
  type DatabaseConnection,
  type JobWithAttempts,
  migrateDatabase,
} from '@notifykit/db';
import {
  createJobProducer,
  createProducerRedis,
  type JobProducer,
  type WorkerRuntime,
} from '@notifykit/queue';
import { createLogger, type Logger } from '@notifykit/runtime';
import {
  useTestDatabase,
  useTestRedis,
  useWebhookReceiver,
  type WebhookReceiver,
} from '@notifykit/testing';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { HostResolver } from '../src/destination-guard.ts';
import { loadWorkerEnv } from '../src/env.ts';
import { startWebhookWorker } from '../src/webhook-worker.ts';

/** A job as the API would store it, for {@link RunningWorker.send}. */
export interface WebhookJobInput {
  customerId: string;
  url: string;
  method?: WebhookMethod;
  headers?: Record<string, string>;
  payload?: Record<string, unknown>;
  maxAttempts?: number;
}

/** A job the harness stored and enqueued. */
export interface SentJob {
  jobId: string;
  customerId: string;
}

/** Creates jobs the way the API does, on one BullMQ prefix. */
export interface JobSender {
  readonly producer: JobProducer;
  /** Stores a pending webhook job and enqueues it, as POST /notifications/webhook does. */
  send(input: WebhookJobInput): Promise<SentJob>;
  /** Moves a failed job back to pending and enqueues it, as the retry endpoint does. */
  retry(job: SentJob): Promise<void>;
}

/** One in-process worker with its own BullMQ prefix. */
export interface RunningWorker extends JobSender {
  readonly runtime: WorkerRuntime;
}

/** The harness of one test file. */
export interface WorkerHarness {
  readonly receiver: WebhookReceiver;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly encryptionKeys: string;
  /** A fresh BullMQ prefix inside the file's Redis namespace. */
  newPrefix(): string;
  /** A job sender for `prefix` without a worker (for workers run as child processes). */
  sender(prefix: string): JobSender;
  /** Environment for the worker as a child process on `prefix`, fast settings included. */
  childEnv(prefix: string, env?: Record<string, string>): Record<string, string>;
  /** Starts a worker; defaults suit a receiver on 127.0.0.1 (private and http allowed). */
  startWorker(
    env?: Record<string, string>,
    overrides?: { resolve?: HostResolver; prefix?: string },
  ): RunningWorker;
  createCustomer(): Promise<string>;
  /** Creates or rotates the customer's signing secret and returns the plaintext. */
  rotateSecret(customerId: string): Promise<string>;
  readJob(job: SentJob): Promise<JobWithAttempts>;
  /** Waits until the job is completed or failed. */
  settled(job: SentJob, timeoutMs?: number): Promise<JobWithAttempts>;
}

function silentLogger(): Logger {
  const level = process.env.TEST_LOG_LEVEL ?? 'silent';
  if (level !== 'silent') return createLogger({ name: 'webhook-worker-test', level });
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return createLogger({ name: 'webhook-worker-test', level: 'silent', destination: sink });
}

/** Settings that keep tests fast: short retries without jitter, a short attempt timeout. */
export const FAST_WORKER_ENV: Readonly<Record<string, string>> = {
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_CONNECT_TIMEOUT_MS: '1000',
  RETRY_BASE_DELAY_MS: '200',
  RETRY_MULTIPLIER: '2',
  RETRY_JITTER_RATIO: '0',
  SWEEPER_INTERVAL_MS: '60000',
  SHUTDOWN_GRACE_MS: '5000',
};

/** Registers the hooks of a webhook worker test file. */
export function useWorkerHarness(): WorkerHarness {
  const database = useTestDatabase({ migrate: migrateDatabase });
  const redis = useTestRedis();
  const receiver = useWebhookReceiver();
  const encryptionKeys = `test1:${randomBytes(32).toString('base64')}`;
  const secretBox = createSecretBox(parseEncryptionKeys(encryptionKeys));
  let connection: DatabaseConnection | undefined;
  let producerRedis: Redis | undefined;
  const running: RunningWorker[] = [];
  const senders: JobSender[] = [];
  let prefixes = 0;

  beforeAll(() => {
    connection = createDatabase(database.url, { max: 5 });
    producerRedis = createProducerRedis(redis.url);
  });
  // A worker lives for one test, so one test's retries never land in the next one.
  afterEach(async () => {
    for (const worker of running.splice(0)) {
      await worker.runtime.close();
      await worker.producer.close();
    }
  });
  afterAll(async () => {
    for (const sender of senders) await sender.producer.close();
    producerRedis?.disconnect();
    await connection?.close();
  });

  const db = () => {
    if (!connection) throw new Error('database used outside tests');
    return connection.db;
  };
  const newPrefix = () => `${redis.bullmqPrefix}:w${++prefixes}`;

  const readJob = async (job: SentJob) => {
    const found = await createJobsRepository(db()).findForCustomer(job.customerId, job.jobId);
    if (!found) throw new Error(`job ${job.jobId} vanished`);
    return found;
  };

  const workerEnv = (prefix: string, env: Record<string, string> = {}) => ({
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: prefix,
    ENCRYPTION_KEYS: encryptionKeys,
    ...FAST_WORKER_ENV,
    ...env,
  });

  const createSender = (prefix: string): JobSender => {
    if (!producerRedis) throw new Error('redis used outside tests');
    const producer = createJobProducer({ connection: producerRedis, prefix });
    return {
      producer,
      async send(input) {
        const { job } = await createJobsRepository(db()).insert({
          customerId: input.customerId,
          type: 'webhook',
          payload: {
            url: input.url,
            method: input.method ?? 'POST',
            headers: input.headers ?? {},
            payload: input.payload ?? { event: 'test' },
          },
          maxAttempts: input.maxAttempts ?? 3,
        });
        await producer.enqueue({
          jobId: job.id,
          customerId: input.customerId,
          type: 'webhook',
          priority: job.priority,
        });
        return { jobId: job.id, customerId: input.customerId };
      },
      async retry(job) {
        const row = await createJobsRepository(db()).retryFailed(job.customerId, job.jobId);
        if (!row) throw new Error(`job ${job.jobId} is not failed`);
        await producer.requeue({ ...job, type: 'webhook', priority: row.priority });
      },
    };
  };

  return {
    receiver,
    get databaseUrl() {
      return database.url;
    },
    get redisUrl() {
      return redis.url;
    },
    encryptionKeys,
    newPrefix,
    sender: (prefix) => {
      const sender = createSender(prefix);
      senders.push(sender);
      return sender;
    },
    childEnv: workerEnv,
    startWorker(env = {}, overrides = {}) {
      const prefix = overrides.prefix ?? newPrefix();
      const config = loadWorkerEnv(workerEnv(prefix, env));
      const runtime = startWebhookWorker(config, silentLogger(), { resolve: overrides.resolve });
      const worker: RunningWorker = { runtime, ...createSender(prefix) };
      running.push(worker);
      return worker;
    },
    async createCustomer() {
      const customer = await createCustomersRepository(db()).create({
        name: 'Webhook test',
        email: `${randomBytes(4).toString('hex')}@receiver.test`,
        plan: 'startup',
      });
      return customer.id;
    },
    async rotateSecret(customerId) {
      const secret = generateSigningSecret();
      await createWebhookSecretsRepository(db()).rotate(customerId, secretBox.encrypt(secret));
      return secret;
    },
    readJob,
    async settled(job, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = await readJob(job);
        if (found.job.status === 'completed' || found.job.status === 'failed') return found;
        if (Date.now() > deadline) {
          throw new Error(`job ${job.jobId} still ${found.job.status} after ${timeoutMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}
