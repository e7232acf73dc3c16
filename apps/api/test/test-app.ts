import { randomBytes } from 'node:crypto';
import type { PlanName } from '@notifykit/core';
import { type CustomerPatch, type CustomerRecord, migrateDatabase } from '@notifykit/db';
import { createLogger } from '@notifykit/runtime';
import { useTestDatabase, useTestRedis } from '@notifykit/testing';
import { afterAll, beforeAll } from 'vitest';
import { type App, buildApp } from '../src/app.ts';
import { generateApiKey } from '../src/auth/api-key-material.ts';
import { type AppDeps, createDependencies } from '../src/dependencies.ts';
import { loadApiEnv } from '../src/env.ts';

/** The operator token every test app is configured with. */
export const TEST_ADMIN_TOKEN = `admin_${'t'.repeat(40)}`;

export interface TestApp {
  readonly app: App;
  readonly deps: AppDeps;
  /** Creates a customer with one API key straight through the repositories. */
  createCustomer(
    options?: { plan?: PlanName; name?: string } & CustomerPatch,
  ): Promise<{ customer: CustomerRecord; apiKey: string }>;
}

/** Extra set-up of a test app. */
export interface TestAppOptions {
  /** Runs after buildApp and before ready, the last moment routes can be added (test probes). */
  beforeReady?: (app: App) => void | Promise<void>;
}

/**
 * One real API per test file: its own migrated database, its own Redis key prefix (BullMQ
 * queues included), built through the same createDependencies/buildApp path as server.ts.
 * `env` overrides the environment the app sees (e.g. a lower retry budget).
 */
export function useTestApp(
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): TestApp {
  const database = useTestDatabase({ migrate: migrateDatabase });
  const redis = useTestRedis();
  let app: App | undefined;
  let deps: AppDeps | undefined;

  beforeAll(async () => {
    const parsed = loadApiEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: redis.bullmqPrefix,
      ENCRYPTION_KEYS: `test1:${randomBytes(32).toString('base64')}`,
      ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      ...env,
    });
    const logger = createLogger({ name: 'api-test', level: parsed.LOG_LEVEL });
    deps = createDependencies(parsed, logger);
    app = await buildApp(deps);
    await options.beforeReady?.(app);
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await deps?.close();
  });

  const required = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`${name} is only available inside tests and hooks`);
    return value;
  };

  return {
    get app() {
      return required(app, 'app');
    },
    get deps() {
      return required(deps, 'deps');
    },
    async createCustomer(options = {}) {
      const { plan = 'free', name = 'Test Customer', ...patch } = options;
      const repositories = required(deps, 'deps').repositories;
      const key = generateApiKey();
      const { customer } = await repositories.customers.createWithApiKey(
        { name, email: `${randomBytes(4).toString('hex')}@customer.test`, plan },
        { keyHash: key.keyHash, lastFour: key.lastFour },
      );
      const updated =
        Object.keys(patch).length > 0
          ? await repositories.customers.update(customer.id, patch)
          : customer;
      return { customer: updated ?? customer, apiKey: key.plaintext };
    },
  };
}
