import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

/** Absolute path of the committed SQL migrations, independent of the working directory. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations', import.meta.url));

// Any constant works as long as every migrator uses the same one.
const MIGRATION_LOCK_ID = 7_305_512_694_228_113n;

/** What {@link migrateDatabase} did. */
export interface MigrationReport {
  /** Tags of the migrations applied by this call, oldest first. */
  applied: string[];
  /** Number of migrations that were already applied before this call. */
  alreadyApplied: number;
}

interface JournalEntry {
  when: number;
  tag: string;
}

async function readJournal(): Promise<JournalEntry[]> {
  const raw = await readFile(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8');
  const journal = JSON.parse(raw) as { entries: JournalEntry[] };
  return journal.entries;
}

async function lastAppliedMillis(client: pg.Client): Promise<number | null> {
  const { rows: exists } = await client.query<{ table: string | null }>(
    "SELECT to_regclass('drizzle.__drizzle_migrations')::text AS table",
  );
  if (!exists[0]?.table) return null;
  const { rows } = await client.query<{ created_at: string }>(
    'SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1',
  );
  return rows[0] ? Number(rows[0].created_at) : null;
}

/**
 * Applies every pending migration in one transaction. An advisory lock serialises concurrent
 * callers (two deploys, parallel test setups) that would otherwise race on the same DDL.
 */
export async function migrateDatabase(connectionString: string): Promise<MigrationReport> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      const journal = await readJournal();
      const before = await lastAppliedMillis(client);
      await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
      // Mirrors drizzle's own rule: a migration runs when it is newer than the last applied one.
      const applied = journal.filter((entry) => before === null || entry.when > before);
      return {
        applied: applied.map((entry) => entry.tag),
        alreadyApplied: journal.length - applied.length,
      };
    } finally {
      // Ending the session releases the lock too, so a failed unlock must not mask the real error.
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}
