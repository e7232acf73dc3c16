// The container modules are imported lazily: they pull in the whole Docker client, which
// test files importing this package's index must not pay for when services come from env.

// Same major versions as docker-compose.yml, so tests exercise what production runs.
const POSTGRES_IMAGE = 'postgres:17-alpine';
const REDIS_IMAGE = 'redis:7-alpine';

/** A started container's connection URL and how to stop it. */
export interface StartedService {
  url: string;
  stop(): Promise<void>;
}

/** Starts a throwaway Postgres; its default database serves as the admin database. */
export async function startPostgresContainer(): Promise<StartedService> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(POSTGRES_IMAGE)
    .withDatabase('postgres')
    .withUsername('postgres')
    .withPassword('postgres')
    .start();
  return {
    url: container.getConnectionUri(),
    stop: async () => {
      await container.stop();
    },
  };
}

/** Starts a throwaway Redis. */
export async function startRedisContainer(): Promise<StartedService> {
  const { RedisContainer } = await import('@testcontainers/redis');
  const container = await new RedisContainer(REDIS_IMAGE).start();
  return {
    url: container.getConnectionUrl(),
    stop: async () => {
      await container.stop();
    },
  };
}
