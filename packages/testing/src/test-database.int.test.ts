import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { dropAbandonedTestDatabases } from './abandoned-databases.ts';
import { createTestDatabase, useTestDatabase } from './test-database.ts';
import { newTestDatabaseName, quoteIdentifier } from './test-database-names.ts';
import { getTestServices } from './test-services.ts';

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: getTestServices().databaseUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe('useTestDatabase', () => {
  const database = useTestDatabase({
    migrate: async (url) => {
      await query(url, 'CREATE TABLE widgets (id int PRIMARY KEY)');
    },
  });

  it('hands the file a migrated database of its own', async () => {
    expect(database.name).toMatch(/^nk_test_/);
    const rows = await query<{ current_database: string }>(
      database.url,
      'SELECT current_database()',
    );
    expect(rows[0]?.current_database).toBe(database.name);
    await expect(query(database.url, 'SELECT count(*) FROM widgets')).resolves.toHaveLength(1);
  });
});

describe('createTestDatabase', () => {
  it('creates a database that exists until drop, even with a connection left open', async () => {
    const database = await createTestDatabase();
    expect(await databaseExists(database.name)).toBe(true);

    const leaked = new pg.Client({ connectionString: database.url });
    leaked.on('error', () => {});
    await leaked.connect();
    await database.drop();
    await database.drop();
    expect(await databaseExists(database.name)).toBe(false);
    await leaked.end().catch(() => {});
  });

  it('drops the database again when migrate fails', async () => {
    let seen = '';
    await expect(
      createTestDatabase({
        migrate: async (url) => {
          seen = new URL(url).pathname.slice(1);
          throw new Error('migration exploded');
        },
      }),
    ).rejects.toThrow('migration exploded');
    expect(seen).toMatch(/^nk_test_/);
    expect(await databaseExists(seen)).toBe(false);
  });
});

describe('dropAbandonedTestDatabases', () => {
  it('drops only test databases older than the threshold', async () => {
    const { databaseUrl } = getTestServices();
    const old = newTestDatabaseName(Date.now() - 10 * 60 * 60 * 1000);
    const fresh = await createTestDatabase();
    await query(databaseUrl, `CREATE DATABASE ${quoteIdentifier(old)}`);
    try {
      const dropped = await dropAbandonedTestDatabases(databaseUrl, 6 * 60 * 60 * 1000);
      expect(dropped).toContain(old);
      expect(dropped).not.toContain(fresh.name);
      expect(await databaseExists(old)).toBe(false);
      expect(await databaseExists(fresh.name)).toBe(true);
    } finally {
      await query(databaseUrl, `DROP DATABASE IF EXISTS ${quoteIdentifier(old)}`);
      await fresh.drop();
    }
  });
});
