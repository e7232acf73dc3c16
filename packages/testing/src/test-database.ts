import pg from 'pg';
import { useFileScoped } from './file-scoped.ts';
import { databaseUrlFor, newTestDatabaseName, quoteIdentifier } from './test-database-names.ts';
import { getTestServices } from './test-services.ts';

/** Brings an empty database up to the current schema; supplied by the caller (see README). */
export type MigrateFunction = (databaseUrl: string) => Promise<unknown>;

/** A database created for one test file. */
export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database, terminating any connection still open; safe to call twice. */
  drop(): Promise<void>;
}

/** Options for {@link createTestDatabase} and {@link useTestDatabase}. */
export interface TestDatabaseOptions {
  /** Runs against the new, empty database before it is handed out. */
  migrate?: MigrateFunction;
  /** Server to create the database on; defaults to the URL from the global setup. */
  serverUrl?: string;
}

async function runAdmin(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates a uniquely named database, migrates it with `migrate` and returns it. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = options.serverUrl ?? getTestServices().databaseUrl;
  const name = newTestDatabaseName();
  const url = databaseUrlFor(serverUrl, name);
  await runAdmin(serverUrl, `CREATE DATABASE ${quoteIdentifier(name)}`);

  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    // FORCE: a pool a test forgot to close must not keep the database alive.
    await runAdmin(serverUrl, `DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
    dropped = true;
  };

  if (options.migrate) {
    try {
      await options.migrate(url);
    } catch (error) {
      await drop().catch(() => {});
      throw error;
    }
  }
  return { name, url, drop };
}

/** Accessors for the database of the current test file, valid once beforeAll has run. */
export interface TestDatabaseHandle {
  readonly name: string;
  readonly url: string;
}

/**
 * Registers beforeAll/afterAll hooks that give the calling test file its own migrated
 * database and drop it when the file is done.
 */
export function useTestDatabase(options: TestDatabaseOptions = {}): TestDatabaseHandle {
  const current = useFileScoped({
    what: 'The test database',
    create: () => createTestDatabase(options),
    dispose: (database) => database.drop(),
    createTimeoutMs: 60_000,
    disposeTimeoutMs: 30_000,
  });

  return {
    get name() {
      return current().name;
    },
    get url() {
      return current().url;
    },
  };
}
