/** Where the Postgres and Redis used by a test run came from. */
export type TestServiceSource = 'env' | 'testcontainers';

/** Connection URLs resolved once per vitest run by the global setup. */
export interface TestServices {
  /** Admin URL of the Postgres server; per-file databases are created next to its database. */
  databaseUrl: string;
  redisUrl: string;
  databaseSource: TestServiceSource;
  redisSource: TestServiceSource;
}

/** The provide/inject key under which the global setup publishes {@link TestServices}. */
export const TEST_SERVICES_KEY = 'notifykitTestServices';

declare module 'vitest' {
  interface ProvidedContext {
    notifykitTestServices: TestServices;
  }
}
