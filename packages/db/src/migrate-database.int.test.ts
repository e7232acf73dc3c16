import { createTestDatabase } from '@notifykit/testing';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateDatabase } from './migrate-database.ts';

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const EXPECTED_TABLES = [
  'api_keys',
  'customers',
  'delivery_attempts',
  'jobs',
  'monthly_usage',
  'webhook_signing_secrets',
];

const EXPECTED_INDEXES = [
  'api_keys_customer_created_idx',
  'api_keys_key_hash_unique',
  'customers_created_at_idx',
  'delivery_attempts_job_attempt_unique',
  'jobs_customer_created_idx',
  'jobs_customer_idempotency_key_unique',
  'jobs_customer_status_created_idx',
  'jobs_customer_type_created_idx',
  'jobs_customer_type_status_created_idx',
  'jobs_sweeper_idx',
  'monthly_usage_pk',
  'webhook_signing_secrets_current_unique',
  'webhook_signing_secrets_customer_idx',
];

describe('migrateDatabase', () => {
  const created: Array<{ drop(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(created.splice(0).map((database) => database.drop()));
  });

  it('builds the whole schema on an empty database and is a no-op the second time', async () => {
    const database = await createTestDatabase();
    created.push(database);

    const first = await migrateDatabase(database.url);
    expect(first).toEqual({
      applied: ['0000_initial_schema', '0001_payload_json'],
      alreadyApplied: 0,
    });

    await withClient(database.url, async (client) => {
      const tables = await client.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
      );
      expect(tables.rows.map((row) => row.tablename)).toEqual(EXPECTED_TABLES);
      const indexes = await client.query<{ indexname: string }>(
        "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'",
      );
      expect(indexes.rows.map((row) => row.indexname).sort()).toEqual(EXPECTED_INDEXES);
      const enums = await client.query<{ typname: string; labels: string[] }>(
        `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
           FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY 1`,
      );
      expect(enums.rows).toEqual([
        { typname: 'attempt_status', labels: ['success', 'failed'] },
        { typname: 'job_status', labels: ['pending', 'processing', 'completed', 'failed'] },
        { typname: 'job_type', labels: ['email', 'webhook'] },
        { typname: 'plan', labels: ['free', 'indie', 'startup', 'enterprise'] },
      ]);
    });

    expect(await migrateDatabase(database.url)).toEqual({ applied: [], alreadyApplied: 2 });
  });

  it('lets concurrent migrators run without racing on the DDL', async () => {
    const database = await createTestDatabase();
    created.push(database);
    const reports = await Promise.all([1, 2, 3].map(() => migrateDatabase(database.url)));
    expect(reports.map((report) => report.applied.length).sort()).toEqual([0, 0, 2]);
  });

  it('reports a clear error when the database cannot be reached', async () => {
    await expect(migrateDatabase('postgres://postgres@127.0.0.1:1/postgres')).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
