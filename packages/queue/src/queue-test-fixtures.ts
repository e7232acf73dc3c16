// Shared setup for this package's integration tests; not exported from the package.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { DeliveryOutcome, Priority } from '@notifykit/core';
import {
  createCustomersRepository,
  createDatabase,
  createJobsRepository,
  type Database,
  type DatabaseConnection,
  type JobWithAttempts,
  migrateDatabase,
} from '@notifykit/db';
import { createLogger, type Logger } from '@notifykit/runtime';
import { useTestDatabase, useTestRedis } from '@notifykit/testing';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { DeliverFn } from './delivery.ts';
import { createJobProducer, type JobProducer } from './job-producer.ts';
import { QUEUE_NAMES, type QueueJobData } from './queue-names.ts';
import { createProducerRedis } from './redis-connections.ts';
import { startWorkerRuntime, type WorkerRuntime } from './worker-runtime.ts';
import { type WorkerSettings, workerSettingsFromEnv } from './worker-settings.ts';

/** A logger that discards everything unless TEST_LOG_LEVEL asks for output. */
export function testLogger(): Logger {
  const level = process.env.TEST_LOG_LEVEL ?? 'silent';
  if (level !== 'silent') return createLogger({ name: 'queue-test', level });
  return createLogger({
    name: 'queue-test',
    level: 'silent',
    destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
}

/** Fast settings for tests: short retries, no jitter, quick stall detection. */
export function testSettings(overrides: Partial<WorkerSettings> = {}): WorkerSettings {
  return {
    ...workerSettingsFromEnv(
      {
        RETRY_BASE_DELAY_MS: 200,
        RETRY_MULTIPLIER: 2,
        RETRY_JITTER_RATIO: 0,
        SWEEPER_INTERVAL_MS: 60_000,
        SWEEPER_PENDING_GRACE_MS: 200,
        SHUTDOWN_GRACE_MS: 5_000,
      },
      4,
    ),
    ...overrides,
  };
}

/** The file's database, Redis namespace and helpers to create jobs and workers in them. */
export interface QueueTestContext {
  readonly db: Database;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly redis: Redis;
  /** Runs raw SQL on the file's database (to age rows and the like). */
  query(text: string, params?: unknown[]): Promise<void>;
  /** A fresh BullMQ prefix inside the file's namespace, so each test has its own queues. */
  newPrefix(): string;
  producer(prefix: string): JobProducer;
  queue(prefix: string): Queue<QueueJobData>;
  /** Inserts a pending webhook job for a new customer. */
  insertJob(options?: { maxAttempts?: number; priority?: Priority }): Promise<InsertedJob>;
  readJob(job: InsertedJob): Promise<JobWithAttempts>;
  startWorker(
    prefix: string,
    deliver: DeliverFn,
    settings?: Partial<WorkerSettings>,
  ): WorkerRuntime;
}

/** A job created by {@link QueueTestContext.insertJob}. */
export interface InsertedJob {
  jobId: string;
  customerId: string;
  priority: Priority;
}

/** Registers hooks giving the test file a migrated database and a Redis namespace. */
export function useQueueTestContext(): QueueTestContext {
  const database = useTestDatabase({ migrate: migrateDatabase });
  const redis = useTestRedis();
  let connection: DatabaseConnection | undefined;
  let producerRedis: Redis | undefined;
  const closers: (() => Promise<unknown>)[] = [];
  // Workers live for one test: a sweeper left running would steal the next test's jobs.
  const runtimes: WorkerRuntime[] = [];
  let prefixes = 0;

  beforeAll(() => {
    connection = createDatabase(database.url, { max: 10 });
    producerRedis = createProducerRedis(redis.url);
  });
  afterEach(async () => {
    await Promise.all(runtimes.splice(0).map((runtime) => runtime.close()));
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    producerRedis?.disconnect();
    await connection?.close();
  });

  const db = (): Database => {
    if (!connection) throw new Error('database used outside tests');
    return connection.db;
  };
  const producerConnection = (): Redis => {
    if (!producerRedis) throw new Error('redis used outside tests');
    return producerRedis;
  };

  return {
    get db() {
      return db();
    },
    get databaseUrl() {
      return database.url;
    },
    get redisUrl() {
      return redis.url;
    },
    get redis() {
      return redis.client;
    },
    async query(text, params = []) {
      if (!connection) throw new Error('database used outside tests');
      await connection.pool.query(text, params);
    },
    newPrefix: () => `${redis.bullmqPrefix}:t${++prefixes}`,
    producer(prefix) {
      const producer = createJobProducer({ connection: producerConnection(), prefix });
      closers.push(() => producer.close());
      return producer;
    },
    queue(prefix) {
      const queue = new Queue<QueueJobData>(QUEUE_NAMES.webhook, {
        connection: producerConnection(),
        prefix,
      });
      closers.push(() => queue.close());
      return queue;
    },
    async insertJob(options = {}) {
      const customer = await createCustomersRepository(db()).create({
        name: 'Queue test',
        email: `${randomBytes(4).toString('hex')}@queue.test`,
        plan: 'enterprise',
      });
      const priority = options.priority ?? 5;
      const { job } = await createJobsRepository(db()).insert({
        customerId: customer.id,
        type: 'webhook',
        payload: { url: 'https://example.test/hook', method: 'POST', headers: {}, payload: {} },
        priority,
        maxAttempts: options.maxAttempts ?? 3,
      });
      return { jobId: job.id, customerId: customer.id, priority };
    },
    async readJob(job) {
      const found = await createJobsRepository(db()).findForCustomer(job.customerId, job.jobId);
      if (!found) throw new Error(`job ${job.jobId} vanished`);
      return found;
    },
    startWorker(prefix, deliver, settings = {}) {
      const runtime = startWorkerRuntime({
        type: 'webhook',
        databaseUrl: database.url,
        redisUrl: redis.url,
        redisPrefix: prefix,
        settings: testSettings(settings),
        logger: testLogger(),
        createDeliver: () => deliver,
      });
      runtimes.push(runtime);
      return runtime;
    },
  };
}

/** A scripted delivery: each call takes the job's next outcome (the last one repeats). */
export function scriptedDeliver(
  script: Record<string, readonly DeliveryOutcome[]>,
  options: { durationMs?: number } = {},
): DeliverFn & { calls: { jobId: string; at: number }[] } {
  const calls: { jobId: string; at: number }[] = [];
  const deliver = async (job: { id: string }) => {
    const made = calls.filter((call) => call.jobId === job.id).length;
    calls.push({ jobId: job.id, at: Date.now() });
    if (options.durationMs) await new Promise((r) => setTimeout(r, options.durationMs));
    const outcomes = script[job.id] ?? [{ kind: 'success' } as const];
    const outcome = outcomes[Math.min(made, outcomes.length - 1)] ?? { kind: 'success' };
    return {
      outcome,
      statusCode: outcome.kind === 'success' ? 200 : 500,
      durationMs: 5,
      responsePrefix: null,
      providerMessageId: null,
    };
  };
  return Object.assign(deliver, { calls });
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
