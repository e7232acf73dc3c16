import type { TestProject } from 'vitest/node';
import { dropAbandonedTestDatabases } from './abandoned-databases.ts';
import { isDockerAvailable } from './docker-availability.ts';
import { TEST_SERVICES_KEY, type TestServices } from './provided-context.ts';
import {
  type StartedService,
  startPostgresContainer,
  startRedisContainer,
} from './service-containers.ts';
import { assertServicesAnswer } from './service-probes.ts';
import { resolveServicePlan } from './service-resolution.ts';

/**
 * Vitest globalSetup: resolves Postgres and Redis once per run (environment URLs first, then
 * testcontainers), checks that both answer, and provides the URLs to test files.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = { DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL };
  // Only ask for Docker when a URL is missing: probing the socket costs time for nothing.
  const needsDocker = !env.DATABASE_URL?.trim() || !env.REDIS_URL?.trim();
  const plan = resolveServicePlan(env, needsDocker && (await isDockerAvailable()));
  if (!plan.ok) throw new Error(plan.message);

  const started: StartedService[] = [];
  const teardown = async (): Promise<void> => {
    await Promise.allSettled(started.map((service) => service.stop()));
  };

  try {
    const [postgres, redis] = await Promise.all([
      plan.postgres.kind === 'env' ? null : startPostgresContainer(),
      plan.redis.kind === 'env' ? null : startRedisContainer(),
    ]);
    if (postgres) started.push(postgres);
    if (redis) started.push(redis);

    const services: TestServices = {
      databaseUrl: plan.postgres.kind === 'env' ? plan.postgres.url : (postgres?.url ?? ''),
      redisUrl: plan.redis.kind === 'env' ? plan.redis.url : (redis?.url ?? ''),
      databaseSource: plan.postgres.kind === 'env' ? 'env' : 'testcontainers',
      redisSource: plan.redis.kind === 'env' ? 'env' : 'testcontainers',
    };
    await assertServicesAnswer(services.databaseUrl, services.redisUrl);

    if (services.databaseSource === 'env') {
      const dropped = await dropAbandonedTestDatabases(services.databaseUrl);
      if (dropped.length > 0) {
        console.warn(`[notifykit/testing] dropped ${dropped.length} abandoned test database(s)`);
      }
    }

    project.provide(TEST_SERVICES_KEY, services);
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}
