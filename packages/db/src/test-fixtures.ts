// Shared setup for this package's integration tests; not exported from the package.
import { createHash, randomBytes } from 'node:crypto';
import type { PlanName } from '@notifykit/core';
import { newId } from '@notifykit/core';
import { useTestDatabase } from '@notifykit/testing';
import { afterAll, beforeAll } from 'vitest';
import { createDatabase, type Database, type DatabaseConnection } from './database-client.ts';
import { migrateDatabase } from './migrate-database.ts';
import { customers } from './schema/customers-table.ts';

/** The current test file's migrated database, with a pool big enough for concurrency tests. */
export function useMigratedDatabase(): { readonly db: Database; readonly url: string } {
  const database = useTestDatabase({ migrate: migrateDatabase });
  let connection: DatabaseConnection | undefined;
  beforeAll(() => {
    connection = createDatabase(database.url, { max: 25 });
  });
  afterAll(async () => {
    await connection?.close();
  });
  return {
    get db() {
      if (!connection) throw new Error('database used outside tests');
      return connection.db;
    },
    get url() {
      return database.url;
    },
  };
}

/** Inserts a customer and returns its id. */
export async function seedCustomer(db: Database, plan: PlanName = 'free'): Promise<string> {
  const id = newId('cus');
  await db
    .insert(customers)
    .values({ id, name: `Customer ${id}`, email: `${id}@example.test`, plan });
  return id;
}

/** A random API key hash as the API would compute it. */
export function randomKeyHash(): { keyHash: string; lastFour: string } {
  const key = `nh_${randomBytes(32).toString('hex')}`;
  return { keyHash: createHash('sha256').update(key).digest('hex'), lastFour: key.slice(-4) };
}
