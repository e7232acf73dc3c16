import pg from 'pg';
import {
  quoteIdentifier,
  TEST_DATABASE_LIKE,
  testDatabaseCreatedAt,
} from './test-database-names.ts';

const SIX_HOURS_MS = 6 * 60 * 60 * 1000;

/**
 * Drops test databases left behind by runs that crashed before their afterAll hooks ran.
 * Only names older than `olderThanMs` go, because other runs may share the server right now.
 * Returns the dropped names.
 */
export async function dropAbandonedTestDatabases(
  serverUrl: string,
  olderThanMs: number = SIX_HOURS_MS,
  nowMs: number = Date.now(),
): Promise<string[]> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [TEST_DATABASE_LIKE],
    );
    const dropped: string[] = [];
    for (const { datname } of rows) {
      const createdAt = testDatabaseCreatedAt(datname);
      if (createdAt === null || nowMs - createdAt.getTime() < olderThanMs) continue;
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(datname)} WITH (FORCE)`);
      dropped.push(datname);
    }
    return dropped;
  } finally {
    await client.end();
  }
}
